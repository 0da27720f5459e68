"""Script breakdown benchmark: scenes read, covered and drawn (see TEST_SET.md)."""
