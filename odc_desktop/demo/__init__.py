"""Demo data: synthetic processes and sample attachment files, for demos, self-tests and benchmarks.
It uses the domain; the domain never imports it."""
