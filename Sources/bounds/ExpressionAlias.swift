import Symbolic

/// Foundation also declares an `Expression`; inside this module the name means ours.
typealias Expression = Symbolic.Expression
