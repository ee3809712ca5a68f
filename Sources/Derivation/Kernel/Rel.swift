import Symbolic

/// A relation as the kernel reasons with it (SEMANTICS.md, "Relations"): which way it goes, whether it hides a
/// constant factor, and whether it is strict.
///
/// `=` is `.equal`; `<=`, `<`, `<~` go `.up`; `>=`, `>`, `>~` go `.down`; `~` (≍) goes `.both` ways.
struct Rel: Equatable, Sendable, CustomStringConvertible {
    enum Way: Sendable { case equal, up, down, both }
    var way: Way
    /// Holds up to a positive constant factor (`<~`, `>~`, `~`), eventually along the path.
    var asymptotic: Bool
    /// Strict (`<`, `>`); never together with `asymptotic`.
    var strict: Bool

    static let equal = Rel(way: .equal, asymptotic: false, strict: false)

    init(way: Way, asymptotic: Bool, strict: Bool) {
        self.way = way
        self.asymptotic = asymptotic
        self.strict = strict && !asymptotic && (way == .up || way == .down)
    }

    init(_ op: RelationOperator) {
        switch op {
        case .equal: self = .equal
        case .lessEqual: self.init(way: .up, asymptotic: false, strict: false)
        case .less: self.init(way: .up, asymptotic: false, strict: true)
        case .greaterEqual: self.init(way: .down, asymptotic: false, strict: false)
        case .greater: self.init(way: .down, asymptotic: false, strict: true)
        case .asymptoticLessEqual: self.init(way: .up, asymptotic: true, strict: false)
        case .asymptoticGreaterEqual: self.init(way: .down, asymptotic: true, strict: false)
        case .asymptoticEqual: self.init(way: .both, asymptotic: true, strict: false)
        }
    }

    var op: RelationOperator {
        switch (way, asymptotic) {
        case (.equal, _): return .equal
        case (.up, false): return strict ? .less : .lessEqual
        case (.down, false): return strict ? .greater : .greaterEqual
        case (.up, true): return .asymptoticLessEqual
        case (.down, true): return .asymptoticGreaterEqual
        case (.both, _): return .asymptoticEqual
        }
    }

    var description: String { op.rawValue }

    /// The relation read from the other side: `a <= b` is `b >= a`.
    var reversed: Rel {
        switch way {
        case .up: return Rel(way: .down, asymptotic: asymptotic, strict: strict)
        case .down: return Rel(way: .up, asymptotic: asymptotic, strict: strict)
        default: return self
        }
    }

    /// What `a self b` and `b next c` give for `a` and `c`; nil when the two go opposite ways (a chain that turns).
    func then(_ next: Rel) -> Rel? {
        if way == .equal { return next }
        if next.way == .equal { return self }
        let asym = asymptotic || next.asymptotic
        switch (way, next.way) {
        case (.up, .up), (.down, .down):
            return Rel(way: way, asymptotic: asym, strict: !asym && (strict || next.strict))
        case (.both, .both): return self
        // a ≍ b <~ c gives a <~ c; a <~ b ≍ c too.
        case (.both, .up), (.up, .both): return Rel(way: .up, asymptotic: true, strict: false)
        case (.both, .down), (.down, .both): return Rel(way: .down, asymptotic: true, strict: false)
        default: return nil
        }
    }

    /// Whether having shown `a self b` shows `a claim b`.
    func implies(_ claim: Rel) -> Bool {
        switch claim.way {
        case .equal: return way == .equal
        case .both: return way == .equal || way == .both
        case .up, .down:
            if way == .equal { return !claim.strict }
            // a ≍ b gives a <~ b and a >~ b.
            if way == .both { return claim.asymptotic }
            guard way == claim.way else { return false }
            // An exact inequality holds with the constant 1; a hidden constant never gives an exact one.
            if asymptotic && !claim.asymptotic { return false }
            if claim.strict && !strict { return false }
            return true
        }
    }
}
