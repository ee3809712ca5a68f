/// Lemmas, theory files, the proof checker, the composer, scaling-law derivations and the audit.
enum DerivationModule {}
