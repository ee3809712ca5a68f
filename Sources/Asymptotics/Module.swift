/// Growth of terms along scaling paths, Landau relations, balancing and regimes. See README.md.
enum AsymptoticsModule {}
