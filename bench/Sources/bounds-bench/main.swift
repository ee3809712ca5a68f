print("bounds-bench: see bench/README.md")
