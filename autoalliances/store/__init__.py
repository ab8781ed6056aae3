"""The compiled fact base: an SQLite store of validated records, its codec and its cache."""
