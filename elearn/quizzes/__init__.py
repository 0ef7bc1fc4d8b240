"""Pure quiz core (no Flask, no database): the stored question and answer-key shape, scoring and pass rules."""
