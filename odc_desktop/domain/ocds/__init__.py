"""OCDS: releases and packages built from entries, the export, and the validation of OCDS files (the
official schema, the Bojonegoro profile, red flags), with the schemas they use (`official/`, `profile/`)."""
