"""Identity of people: NIP / NI PPPK rules, free of Flask and the database."""
