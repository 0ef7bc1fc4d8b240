"""The yearly JP ledger, pure (no Flask, no database): kinds of development, totals per person and year, progress
toward the target or the PPPK cap, and what a proof file is by its content."""
