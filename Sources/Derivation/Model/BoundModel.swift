import Symbolic

/// Why a step of a composed derivation holds, with its provenance: the lemma cited (and the one it stands in
/// for, when an alternative is swapped in) with the bindings of its symbols, the terms dropped as dominated, or
/// the tidying.
public enum StepJustification: Sendable {
    /// `by P3 [delta := 1/n]`: the lemma used (`id`), the lemma the recipe cites when another is swapped in for it,
    /// and every binding that is not the identity, sorted by name.
    case lemma(id: String, inPlaceOf: String?, bindings: [(String, Expr)])
    /// `by asymptotics`: the terms dropped as dominated along `variable` → ∞.
    case asymptotics(dropped: [Expr], variable: String)
    /// `by algebra`: the terms tidied.
    case algebra

    /// The lemma the step cites (nil for asymptotics and algebra).
    public var lemma: String? {
        if case .lemma(let id, _, _) = self { return id }
        return nil
    }
}
