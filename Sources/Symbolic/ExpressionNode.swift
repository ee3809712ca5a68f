/// The heap node behind an `Expr`: immutable once built (only `deinit` takes a dying node apart).
///
/// The hash is structural and computed from the children's cached hashes, so it costs O(children) per node
/// at construction and O(1) afterwards. It is consistent with `==` within one process (it folds in
/// `Rational` and `String` hash values, which Swift seeds per process).
public final class ExpressionNode: @unchecked Sendable {
    /// `var` only so that `deinit` can take a dying deep node apart; nothing else writes it. Unchecked: the
    /// dynamic exclusivity check on every read of a class property cost about 5% of a derivation.
    @exclusivity(unchecked) @usableFromInline var shape: Expr.Shape
    @usableFromInline let hash: Int
    @usableFromInline let depth: Int
    /// One bit per symbol below (the bit `symbolBit` gives its name), OR-ed up the tree: a clear bit proves a
    /// symbol absent without a walk (`contains(symbol:)`), and a zero mask marks a subtree without symbols.
    @usableFromInline let symbolMask: UInt64

    init(_ shape: Expr.Shape) {
        self.shape = shape
        var h: UInt64
        var d = 0
        var mask: UInt64 = 0
        switch shape {
        case .number(let r):
            if case .small(let p, let q) = r.storage {
                // Storage is canonical (reduced), so equal numbers have equal parts.
                h = ExpressionNode.mix(ExpressionNode.mix(1, UInt64(bitPattern: Int64(p))), UInt64(bitPattern: Int64(q)))
            } else {
                h = ExpressionNode.mix(12, UInt64(bitPattern: Int64(r.hashValue)))
            }
        case .symbol(let s):
            // FNV-1a over the UTF-8 bytes: cheaper than SipHash through Hasher, and symbols are short. Only for
            // ASCII: String == is canonical equivalence, so other text (é composed or not) uses String's hash.
            var f: UInt64 = 0xCBF2_9CE4_8422_2325
            var ascii = true
            for byte in s.utf8 { f = (f ^ UInt64(byte)) &* 0x0000_0100_0000_01B3; ascii = ascii && byte < 0x80 }
            h = ascii ? ExpressionNode.mix(2, f) : ExpressionNode.mix(13, UInt64(bitPattern: Int64(s.hashValue)))
            mask = ascii ? 1 << (f & 63) : ExpressionNode.symbolBit(s)
        case .constant(let c): h = ExpressionNode.mix(3, c == .e ? 1 : 2)
        case .sum(let xs): (h, d) = ExpressionNode.combine(4, xs); mask = ExpressionNode.mask(xs)
        case .product(let xs): (h, d) = ExpressionNode.combine(5, xs); mask = ExpressionNode.mask(xs)
        case .power(let b, let x): (h, d) = ExpressionNode.combine(6, b, x); mask = b.node.symbolMask | x.node.symbolMask
        case .log(let x): h = ExpressionNode.mix(7, UInt64(bitPattern: Int64(x.node.hash))); d = x.node.depth; mask = x.node.symbolMask
        case .min(let xs): (h, d) = ExpressionNode.combine(8, xs); mask = ExpressionNode.mask(xs)
        case .max(let xs): (h, d) = ExpressionNode.combine(9, xs); mask = ExpressionNode.mask(xs)
        case .binom(let n, let k): (h, d) = ExpressionNode.combine(10, n, k); mask = n.node.symbolMask | k.node.symbolMask
        case .apply(let name, let xs):
            (h, d) = ExpressionNode.combine(ExpressionNode.mix(11, UInt64(bitPattern: Int64(name.hashValue))), xs)
            mask = ExpressionNode.mask(xs)
        }
        hash = Int(bitPattern: UInt(h))
        depth = d + 1
        symbolMask = mask
    }

    @inline(__always) static func mask(_ xs: [Expr]) -> UInt64 {
        var m: UInt64 = 0
        for x in xs { m |= x.node.symbolMask }
        return m
    }

    /// The mask bit of a symbol's name (FNV-1a of ASCII names, String's hash otherwise; fixed within a process).
    /// The initializer takes the same bit from the FNV-1a it computes for the hash.
    @inline(__always) static func symbolBit(_ name: String) -> UInt64 {
        var f: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in name.utf8 {
            if byte >= 0x80 { return 1 << (UInt64(bitPattern: Int64(name.hashValue)) & 63) }
            f = (f ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return 1 << (f & 63)
    }

    @inline(__always) static func mix(_ h: UInt64, _ x: UInt64) -> UInt64 {
        // A multiply-xorshift step (order-dependent, so [a, b] and [b, a] hash differently).
        var v = (h ^ x) &* 0x9E37_79B9_7F4A_7C15
        v ^= v >> 29
        return v &* 0xBF58_476D_1CE4_E5B9 ^ (v >> 32)
    }

    @inline(__always) static func combine(_ seed: UInt64, _ xs: [Expr]) -> (UInt64, Int) {
        var h = mix(seed, UInt64(xs.count))
        var d = 0
        for x in xs {
            h = mix(h, UInt64(bitPattern: Int64(x.node.hash)))
            if x.node.depth > d { d = x.node.depth }
        }
        return (h, d)
    }

    /// Hash and depth of a node with the two children `a` and `b` (no array to build).
    @inline(__always) static func combine(_ seed: UInt64, _ a: Expr, _ b: Expr) -> (UInt64, Int) {
        let h = mix(mix(seed, UInt64(bitPattern: Int64(a.node.hash))), UInt64(bitPattern: Int64(b.node.hash)))
        return (h, Swift.max(a.node.depth, b.node.depth))
    }

    /// Trees shallower than this are released by the runtime's ordinary (recursive) release.
    static let iterativeReleaseDepth = 256

    deinit {
        // Releasing a node releases its children, and so on down: one nested call per level, which overflows
        // the stack for trees tens of thousands of levels deep. Instead, move the children of a deep dying
        // node onto a heap stack and take apart every uniquely owned deep node there, one at a time.
        guard depth > ExpressionNode.iterativeReleaseDepth else { return }
        var pending = takeChildren()
        while var e = pending.popLast() {
            if e.node.depth > ExpressionNode.iterativeReleaseDepth && isKnownUniquelyReferenced(&e.node) {
                pending.append(contentsOf: e.node.takeChildren())
            }
            // `e` is released here: a node taken apart above has no children left, so its deinit returns at once;
            // a shallow or shared one releases normally.
        }
    }

    /// Moves the children out, leaving a leaf. Only for a node nobody else can observe (a dying one).
    private func takeChildren() -> [Expr] {
        let kids = shape.children
        if !kids.isEmpty { shape = .constant(.e) }
        return kids
    }

    /// Equal structure, compared with an explicit stack (no recursion), skipping shared subtrees.
    static func structurallyEqual(_ a: ExpressionNode, _ b: ExpressionNode) -> Bool {
        // Pairs of nodes still to compare. The shapes are matched one at a time (a switch over the pair of shapes
        // copied both payloads) and children are pushed without building arrays for them.
        var pending: [(ExpressionNode, ExpressionNode)] = []
        pending.reserveCapacity(16)
        pending.append((a, b))
        func pair(_ x: Expr, _ y: Expr) -> Bool {
            if x.node === y.node { return true }
            if x.node.hash != y.node.hash || x.node.depth != y.node.depth { return false }
            pending.append((x.node, y.node))
            return true
        }
        func pairs(_ xs: [Expr], _ ys: [Expr]) -> Bool {
            guard xs.count == ys.count else { return false }
            for i in xs.indices where !pair(xs[i], ys[i]) { return false }
            return true
        }
        while let (x, y) = pending.popLast() {
            switch x.shape {
            case .number(let p): guard case .number(let q) = y.shape, p == q else { return false }
            case .symbol(let p): guard case .symbol(let q) = y.shape, p == q else { return false }
            case .constant(let p): guard case .constant(let q) = y.shape, p == q else { return false }
            case .sum(let xs): guard case .sum(let ys) = y.shape, pairs(xs, ys) else { return false }
            case .product(let xs): guard case .product(let ys) = y.shape, pairs(xs, ys) else { return false }
            case .min(let xs): guard case .min(let ys) = y.shape, pairs(xs, ys) else { return false }
            case .max(let xs): guard case .max(let ys) = y.shape, pairs(xs, ys) else { return false }
            case .power(let p, let q): guard case .power(let r, let s) = y.shape, pair(p, r), pair(q, s) else { return false }
            case .binom(let p, let q): guard case .binom(let r, let s) = y.shape, pair(p, r), pair(q, s) else { return false }
            case .log(let p): guard case .log(let q) = y.shape, pair(p, q) else { return false }
            case .apply(let f, let xs): guard case .apply(let g, let ys) = y.shape, f == g, pairs(xs, ys) else { return false }
            }
        }
        return true
    }
}
