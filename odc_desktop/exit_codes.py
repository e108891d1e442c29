"""Exit codes shared by ``odc`` and ``odc-desktop`` (documented in the README)."""

EXIT_OK = 0  # done
EXIT_PROBLEMS = 1  # problems found (validation, a damaged store in doctor, a self-test step failed)
EXIT_USAGE = 2  # wrong usage (argparse's own code)
EXIT_REFUSED = 3  # the store, a folder or a file was refused, or another app holds the folder
EXIT_UNEXPECTED = 4  # an unexpected error (details in the log)
