"""Services: functions that take a database session, call the pure core and persist."""
