"""The assigner's area: giving learning to mentees or to the people of one's units, and following each batch."""
