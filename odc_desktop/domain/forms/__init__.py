"""Stage forms as data: the definitions and their loader, the checks of form files, and the checks and
messages of the data an operator enters with them."""
