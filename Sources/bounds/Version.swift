/// The version `bounds --version` (and `bounds version`) prints; this is the one place it is defined.
let boundsVersion = "0.1.0"
