"""The load benchmark (`make bench`, `make bench-quick`): see bench/run.py."""
