import Symbolic

/// Foundation also declares an `Expression`; inside this module the name means ours.
public typealias Expression = Symbolic.Expression
