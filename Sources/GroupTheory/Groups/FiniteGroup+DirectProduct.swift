/// Direct products G × H (DESIGN.md built-ins: `G x H`).
extension FiniteGroup {
    /// The direct product of two validated groups, itself validated.
    ///
    /// Generators are G's followed by H's (a name used by both gets the suffix
    /// `_1` or `_2`). When both factors are presented, so is the product: both sets
    /// of relators plus the commutators [x, y] of x from G and y from H. Every
    /// representation of a factor is extended by the identity on the other
    /// factor's generators (a name used by both factors gets `_1`/`_2` too), and
    /// the product gets `action`, the direct sum of the factors' faithful
    /// permutation actions, which defines it.
    /// - Complexity: one `init(spec:options:)` of the product, of order |G|·|H|.
    public static func directProduct(_ g: FiniteGroup, _ h: FiniteGroup, options: GroupOptions? = nil) throws(GroupError)
        -> FiniteGroup
    {
        // A clashing name gets `_1` (left factor) or `_2` (right factor), or the next free
        // `_k` when that is taken too (D4 x D4 x D4 x D4 already has r_1 and r_2).
        func renamed(_ left: [String], _ right: [String], reserved: Set<String> = []) -> ([String], [String]) {
            var taken = Set(left + right).union(reserved)
            func unique(_ name: String, from k: Int) -> String {
                var k = k
                while taken.contains("\(name)_\(k)") { k += 1 }
                taken.insert("\(name)_\(k)")
                return "\(name)_\(k)"
            }
            let clashing = Set(left).intersection(right).union(reserved)
            let l = left.map { clashing.contains($0) ? unique($0, from: 1) : $0 }
            let r = right.map { clashing.contains($0) ? unique($0, from: 2) : $0 }
            return (l, r)
        }
        let (gGens, hGens) = renamed(g.generators, h.generators)
        let generators = gGens + hGens
        let origin = "\(g.origin) x \(h.origin)"
        let here = SpecLocation(file: origin, line: 0, keyPath: "")

        var relators: [Located<String>]?
        if let p = g.presentation, let q = h.presentation {
            var texts = p.relators.map { $0.formatted(names: gGens) }
            texts += q.relators.map { $0.formatted(names: hGens) }
            for x in gGens { for y in hGens { texts.append("[\(x),\(y)]") } }
            relators = texts.map { Located($0, at: here) }
        }

        let gAction = try g.faithfulPermutationAction()
        let hAction = try h.faithfulPermutationAction()
        let gDegree = gAction.first?.degree ?? 0, hDegree = hAction.first?.degree ?? 0
        var actionImages: [Located<[Int]>] = gAction.map { p in
            Located(p.images.map(Int.init) + Array(gDegree..<(gDegree + hDegree)), at: here)
        }
        actionImages += hAction.map { p in Located(Array(0..<gDegree) + p.images.map { Int($0) + gDegree }, at: here) }

        let (gNames, hNames) = renamed(
            g.representations.map(\.name), h.representations.map(\.name), reserved: ["action"])
        var reps = [RepresentationSpec(name: "action", images: .permutation(actionImages), location: here)]
        for (rep, name) in zip(g.representations, gNames) {
            reps.append(extend(rep.representation, name: name, before: 0, after: h.generatorCount, at: here))
        }
        for (rep, name) in zip(h.representations, hNames) {
            reps.append(extend(rep.representation, name: name, before: g.generatorCount, after: 0, at: here))
        }
        let spec = GroupSpec(
            name: "\(g.name)x\(h.name)", description: "Direct product \(g.name) × \(h.name)",
            documentedOrder: (g.order * h.order).description, generators: generators, relators: relators,
            defining: "action", representations: reps, origin: origin)
        return try FiniteGroup(spec: spec, options: options ?? g.options)
    }

    /// A faithful permutation action: the known one, or the regular representation
    /// (which lists the elements: it throws when the order is above `options.maxElements`
    /// or `options.maxDimension`).
    public func faithfulPermutationAction() throws(GroupError) -> [Permutation] {
        if let faithfulAction { return faithfulAction }
        guard case let .permutation(images) = try representation(named: "regular").images else {
            preconditionFailure("the regular representation is a permutation representation")
        }
        return images
    }

    /// A representation spec for `rep` on `before` + its own + `after` generators,
    /// the extra generators acting as the identity.
    private static func extend(_ rep: Representation, name: String, before: Int, after: Int, at here: SpecLocation)
        -> RepresentationSpec
    {
        let d = rep.dimension
        let identity = Array(0..<d)
        func pad<T>(_ own: [T], _ one: T) -> [Located<T>] {
            (Array(repeating: one, count: before) + own + Array(repeating: one, count: after)).map { Located($0, at: here) }
        }
        switch rep.images {
        case let .permutation(p):
            return RepresentationSpec(name: name, images: .permutation(pad(p.map { $0.images.map(Int.init) }, identity)), location: here)
        case let .signedPermutation(s):
            let own = s.map { (images: $0.images.map(Int.init), signs: $0.signs.map(Int.init)) }
            let one = (images: identity, signs: [Int](repeating: 1, count: d))
            return RepresentationSpec(name: name, images: .signedPermutation(pad(own, one)), location: here)
        case let .rational(ms):
            let rows = ms.map { m in (0..<d).map { i in (0..<d).map { ExactOrReal.exact(m[i, $0]) } } }
            let one = (0..<d).map { i in (0..<d).map { ExactOrReal.exact(i == $0 ? .one : .zero) } }
            return RepresentationSpec(name: name, images: .matrix(pad(rows, one)), location: here)
        case let .real(ms):
            let rows = ms.map { m in (0..<d).map { i in (0..<d).map { ExactOrReal.real(m[i, $0]) } } }
            let one = (0..<d).map { i in (0..<d).map { ExactOrReal.exact(i == $0 ? .one : .zero) } }
            return RepresentationSpec(name: name, images: .matrix(pad(rows, one)), location: here)
        }
    }
}
