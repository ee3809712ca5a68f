print("bounds-fuzz: see bench/README.md")
