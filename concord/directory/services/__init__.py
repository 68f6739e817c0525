"""Every change to the directory goes through these modules: importing (HSDS files into
the directory) and exporting (the directory as an HSDS tabular package)."""
