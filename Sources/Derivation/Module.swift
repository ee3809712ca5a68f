enum DerivationModule {}
