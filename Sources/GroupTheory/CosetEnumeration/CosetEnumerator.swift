/// The working state of one coset enumeration (HEO §5.1–5.3).
///
/// Layout: one flat `Int32` table, `table[c * width + column]`, −1 for an undefined
/// entry. Internal columns: one per involutory generator (a relator x² makes x and
/// x⁻¹ the same column), else two adjacent ones (x, x⁻¹). `parent` is the
/// union-find forest over cosets: a coset is live exactly when `parent[c] == c`;
/// a coincident coset points (eventually) to the smaller coset it merged into.
/// Rows of dead cosets are reclaimed by compaction, which renumbers the live
/// cosets in order, so a smaller number always means an earlier definition.
///
/// A noncopyable struct, so that its mutating methods need no run-time
/// exclusivity checks, and the table uses manually allocated buffers: the enumeration's inner loops are
/// table lookups, and array bounds and uniqueness checks cost about a factor two.
struct CosetEnumerator: ~Copyable {
    let generatorCount: Int
    /// Internal columns.
    let width: Int
    /// Internal column of generator i's letter (`columnOfGenerator[i]`) and of its inverse.
    let columnOfGenerator: [Int]
    let columnOfInverse: [Int]
    /// `inverseColumn[x]`: the column of the inverse letter (x itself for involutions).
    let inverseColumn: [Int32]
    /// Relators as column words, cyclically reduced (x² for involutory x dropped).
    let relators: [[Int32]]
    /// The relators end to end: relator r is `relatorLetters[relatorStarts[r]..<relatorStarts[r + 1]]`;
    /// `relatorInverseLetters[k]` is the inverse column of `relatorLetters[k]` (backward scans).
    let relatorLetters: [Int32]
    let relatorInverseLetters: [Int32]
    let relatorStarts: [Int]
    /// Subgroup generators as column words, freely reduced.
    let subgroupWords: [[Int32]]
    /// For deduction processing (Felsch): all distinct cyclic conjugates of the
    /// relators and their inverses, grouped by first column. Conjugates starting with
    /// column x are `conjugateLetters[conjugateStarts[k]..<conjugateStarts[k+1]]` for
    /// k in `conjugatesOfColumn[x]..<conjugatesOfColumn[x+1]`.
    let conjugateLetters: [Int32]
    /// `conjugateInverseLetters[k]` is the inverse column of `conjugateLetters[k]` (backward scans).
    let conjugateInverseLetters: [Int32]
    let conjugateStarts: [Int]
    let conjugatesOfColumn: [Int]
    /// Felsch: define the first undefined entry. Otherwise HLT: scan-and-fill relators.
    let definesByRows: Bool
    /// Record every new entry and trace all relator conjugates through it (Felsch;
    /// HLT could do it too, but measured slower on long relators).
    let felsch: Bool
    let limit: Int
    /// Rows the table may ever hold: `limit`, or fewer when the table would exceed
    /// `EnumerationOptions.maximumTableEntries` entries (many generators).
    let maximumRows: Int

    var table: UnsafeMutablePointer<Int32>
    var parent: UnsafeMutablePointer<Int32>
    /// Rows allocated.
    var capacity: Int
    /// Rows in use: cosets `0..<rowCount` are live or dead-but-unreclaimed.
    var rowCount = 0
    var liveCount = 0
    /// The coset being scanned (HLT) or filled (Felsch); remapped by compaction.
    var cursor = 0
    /// Pending deductions (Felsch), as table indices `coset * width + column`.
    var deductions: [Int] = []
    /// Coincidence queue (HEO's q).
    var queue: [Int32] = []

    init(generatorCount n: Int, relators: [Word], subgroup: [Word], options: EnumerationOptions) {
        generatorCount = n
        limit = max(1, min(options.maxCosets, Int(Int32.max) - 1))

        // Involutory generators: a relator that cyclically reduces to x^±2.
        var involutory = [Bool](repeating: false, count: n)
        let reduced = relators.map { $0.cyclicallyReduced.letters }
        for r in reduced where r.count == 2 && r[0] == r[1] { involutory[Word.generatorIndex(r[0])] = true }
        var columnOf: [Int] = []
        var columnOfInv: [Int] = []
        var inverse: [Int32] = []
        for i in 0..<n {
            let x = inverse.count
            columnOf.append(x)
            if involutory[i] {
                columnOfInv.append(x)
                inverse.append(Int32(x))
            } else {
                columnOfInv.append(x + 1)
                inverse.append(Int32(x + 1))
                inverse.append(Int32(x))
            }
        }
        columnOfGenerator = columnOf
        columnOfInverse = columnOfInv
        inverseColumn = inverse
        width = inverse.count

        func columns(_ letters: [Int32]) -> [Int32] {
            // Map to columns and cancel x·x⁻¹ (including x·x for involutions).
            var stack: [Int32] = []
            for letter in letters {
                let i = Word.generatorIndex(letter)
                let x = Int32(letter > 0 ? columnOf[i] : columnOfInv[i])
                if let last = stack.last, inverse[Int(last)] == x { stack.removeLast() } else { stack.append(x) }
            }
            return stack
        }
        var relatorColumns: [[Int32]] = []
        var seen = Set<[Int32]>()
        for r in reduced {
            var w = columns(r)
            while w.count >= 2, inverse[Int(w.first!)] == w.last! { w.removeFirst(); w.removeLast() }
            if !w.isEmpty, seen.insert(w).inserted { relatorColumns.append(w) }
        }
        // Shorter relators first: they close (and find coincidences) soonest.
        relatorColumns.sort { $0.count < $1.count }
        self.relators = relatorColumns
        relatorLetters = relatorColumns.flatMap { $0 }
        relatorInverseLetters = relatorLetters.map { inverse[Int($0)] }
        relatorStarts = relatorColumns.reduce(into: [0]) { $0.append($0.last! + $1.count) }
        switch options.strategy {
        case .felsch: definesByRows = true
        case .hlt: definesByRows = false
        case .automatic:
            let longest = relatorColumns.last?.count ?? 0
            definesByRows = longest <= EnumerationOptions.Strategy.automaticFelschRelatorLength
        }
        felsch = definesByRows
        subgroupWords = subgroup.map { columns($0.letters) }.filter { !$0.isEmpty }

        // Cyclic conjugates of relators and their inverses, deduplicated, by first column.
        // Only Felsch traces them: HLT never builds them, since there are Σ|r| of them
        // with Σ|r|² letters (a^1000000 alone would take 10¹² letters).
        var byColumn = [[[Int32]]](repeating: [], count: width)
        var conjugateSet = Set<[Int32]>()
        for r in relatorColumns where definesByRows {
            let rInverse = r.reversed().map { inverse[Int($0)] }
            for w in [r, rInverse] {
                for k in 0..<w.count {
                    let rotated = Array(w[k...] + w[..<k])
                    if conjugateSet.insert(rotated).inserted { byColumn[Int(rotated[0])].append(rotated) }
                }
            }
        }
        var letters: [Int32] = []
        var starts: [Int] = [0]
        var ofColumn: [Int] = [0]
        for x in 0..<width {
            for w in byColumn[x] {
                letters += w
                starts.append(letters.count)
            }
            ofColumn.append(starts.count - 1)
        }
        conjugateLetters = letters
        conjugateInverseLetters = letters.map { inverse[Int($0)] }
        conjugateStarts = starts
        conjugatesOfColumn = ofColumn

        maximumRows = max(1, min(limit, EnumerationOptions.maximumTableEntries / max(width, 1)))
        capacity = min(maximumRows, max(1, min(1 << 12, (1 << 20) / max(width, 1))))
        table = .allocate(capacity: capacity * max(width, 1))
        parent = .allocate(capacity: capacity)
    }

    deinit {
        table.deallocate()
        parent.deallocate()
    }

    // MARK: Driver

    mutating func run() throws(EnumerationError) -> CosetTable {
        _ = newCoset()
        for w in subgroupWords {
            let inverses = w.map { inverseColumn[Int($0)] }
            try w.withUnsafeBufferPointer { (letters) throws(EnumerationError) in
                try inverses.withUnsafeBufferPointer { (inverses) throws(EnumerationError) in
                    try scanAndFill(0, 0, letters.count, letters, inverses)
                }
            }
        }
        if felsch { processDeductions() }
        if definesByRows {
            try runFelsch()
        } else {
            try runHLT()
        }
        return result()
    }

    /// HEO §5.2, Felsch strategy: fill the first undefined entry, then process deductions.
    mutating func runFelsch() throws(EnumerationError) {
        cursor = 0
        while cursor < rowCount {
            if parent[cursor] == Int32(cursor) {
                var x = 0
                while x < width {
                    if table[cursor * width + x] < 0 {
                        try ensureRoom(1, atLeast: 1)
                        try define(cursor, x)
                        processDeductions()
                        if parent[cursor] != Int32(cursor) { break }
                    }
                    x += 1
                }
            }
            cursor += 1
        }
    }

    /// HEO §5.1, HLT strategy: scan-and-fill every relator at each coset in order, then
    /// complete its row. At the limit, a lookahead pass looks for coincidences.
    mutating func runHLT() throws(EnumerationError) {
        let room = relators.reduce(width) { $0 + $1.count - 1 }
        try relatorLetters.withUnsafeBufferPointer { (letters) throws(EnumerationError) in
            try relatorInverseLetters.withUnsafeBufferPointer { (inverses) throws(EnumerationError) in
                cursor = 0
                while cursor < rowCount {
                    if parent[cursor] == Int32(cursor) {
                        // May renumber: cursor is then the first live coset at or after the old one.
                        try ensureRoom(room, atLeast: 1)
                        if cursor >= rowCount { break }
                        for r in relators.indices {
                            try scanAndFill(cursor, relatorStarts[r], relatorStarts[r + 1], letters, inverses)
                            if felsch { processDeductions() }
                            if parent[cursor] != Int32(cursor) { break }
                        }
                        if parent[cursor] == Int32(cursor) {
                            for x in 0..<width where table[cursor * width + x] < 0 {
                                try define(cursor, x)
                                if felsch { processDeductions() }
                                if parent[cursor] != Int32(cursor) { break }
                            }
                        }
                    }
                    cursor += 1
                }
            }
        }
    }

    // MARK: Table primitives

    /// Appends a fresh row (all entries undefined); the caller ensured room.
    @inline(__always) mutating func newCoset() -> Int {
        let c = rowCount
        rowCount += 1
        liveCount += 1
        parent[c] = Int32(c)
        (table + c * width).initialize(repeating: -1, count: width)
        return c
    }

    /// HEO DEFINE: a new coset β with α·x = β.
    /// Grows the table if it is full; at the limit this throws, since compaction
    /// (which renumbers cosets) is not safe in the middle of a scan.
    @inline(__always) mutating func define(_ alpha: Int, _ x: Int) throws(EnumerationError) {
        if rowCount == capacity {
            guard capacity < maximumRows else { throw limitError() }
            grow(to: min(maximumRows, 2 * capacity))
        }
        let beta = newCoset()
        table[alpha * width + x] = Int32(beta)
        table[beta * width + Int(inverseColumn[x])] = Int32(alpha)
        if felsch { deductions.append(alpha * width + x) }
    }

    /// HEO SCANANDFILL: trace w from α forwards and backwards, defining cosets
    /// until the cycle closes; a forced entry or a coincidence ends the scan.
    /// The word is `letters[start..<end]`; `inverses[k]` is the inverse column of `letters[k]`.
    mutating func scanAndFill(
        _ alpha: Int, _ start: Int, _ end: Int, _ letters: UnsafeBufferPointer<Int32>, _ inverses: UnsafeBufferPointer<Int32>
    ) throws(EnumerationError) {
        var f = alpha, i = start, b = alpha, j = end - 1
        while !trace(alpha, &f, &i, &b, &j, letters, inverses) { try define(f, Int(letters[i])) }
    }

    /// Sets f·x = b and b·x⁻¹ = f (both undefined before).
    @inline(__always) mutating func deduce(_ f: Int, _ x: Int, _ b: Int) {
        table[f * width + x] = Int32(b)
        table[b * width + Int(inverseColumn[x])] = Int32(f)
        if felsch { deductions.append(f * width + x) }
    }

    /// HEO SCAN without filling: the word `letters[start..<end]` (a relator or a conjugate) from α.
    @inline(__always) mutating func scan(
        _ alpha: Int, _ start: Int, _ end: Int, _ letters: UnsafeBufferPointer<Int32>, _ inverses: UnsafeBufferPointer<Int32>
    ) {
        var f = alpha, i = start, b = alpha, j = end - 1
        _ = trace(alpha, &f, &i, &b, &j, letters, inverses)
    }

    /// One pass of HEO's scan of `letters[i...j]` (a cycle from α): forwards from f and
    /// backwards from b (the letters' inverse columns are `inverses`) while entries are
    /// defined. A closed cycle (a coincidence when its ends differ) or a gap of one letter (a
    /// deduction) ends the scan: true. A longer gap leaves f and i at its start: false.
    @inline(__always) mutating func trace(
        _ alpha: Int, _ f: inout Int, _ i: inout Int, _ b: inout Int, _ j: inout Int,
        _ letters: UnsafeBufferPointer<Int32>, _ inverses: UnsafeBufferPointer<Int32>
    ) -> Bool {
        let width = self.width
        while i <= j {
            let next = table[f * width + Int(letters[i])]
            if next < 0 { break }
            f = Int(next)
            i += 1
        }
        if i > j {
            if f != alpha { coincidence(f, alpha) }
            return true
        }
        while j >= i {
            let next = table[b * width + Int(inverses[j])]
            if next < 0 { break }
            b = Int(next)
            j -= 1
        }
        if j < i {
            coincidence(f, b)
        } else if j == i {
            deduce(f, Int(letters[i]), b)
        } else {
            return false
        }
        return true
    }

    /// HEO PROCESSDEDUCTIONS: trace every relator conjugate through each new entry.
    /// Conjugates starting with column x from α cover every relator cycle through the
    /// edge α·x (a cycle through it backwards is the inverse conjugate forwards).
    mutating func processDeductions() {
        conjugateLetters.withUnsafeBufferPointer { letters in
            conjugateInverseLetters.withUnsafeBufferPointer { inverses in
                conjugateStarts.withUnsafeBufferPointer { starts in
                    while let entry = deductions.popLast() {
                        let alpha = entry / width
                        let x = entry - alpha * width
                        if alpha >= rowCount || parent[alpha] != Int32(alpha) || table[entry] < 0 { continue }
                        for k in conjugatesOfColumn[x]..<conjugatesOfColumn[x + 1] {
                            scan(alpha, starts[k], starts[k + 1], letters, inverses)
                            if parent[alpha] != Int32(alpha) { break }
                        }
                    }
                }
            }
        }
    }

    // MARK: Coincidences (HEO §5.1.2)

    /// The live coset that `c` has merged into, with path compression.
    @inline(__always) mutating func representative(_ c: Int) -> Int {
        var root = c
        while parent[root] != Int32(root) { root = Int(parent[root]) }
        var k = c
        while k != root {
            let next = Int(parent[k])
            parent[k] = Int32(root)
            k = next
        }
        return root
    }

    /// HEO MERGE: the larger representative dies into the smaller and is queued.
    @inline(__always) mutating func merge(_ a: Int, _ b: Int) {
        let p = representative(a), q = representative(b)
        if p == q { return }
        let (low, high) = p < q ? (p, q) : (q, p)
        parent[high] = Int32(low)
        liveCount -= 1
        queue.append(Int32(high))
    }

    /// HEO COINCIDENCE: merges α and β and everything that follows from it.
    mutating func coincidence(_ alpha: Int, _ beta: Int) {
        let width = self.width
        queue.removeAll(keepingCapacity: true)
        merge(alpha, beta)
        var k = 0
        while k < queue.count {
            let gamma = Int(queue[k])
            k += 1
            for x in 0..<width {
                let delta32 = table[gamma * width + x]
                if delta32 < 0 { continue }
                let delta = Int(delta32)
                let xi = Int(inverseColumn[x])
                table[delta * width + xi] = -1
                let mu = representative(gamma), nu = representative(delta)
                let muX = table[mu * width + x]
                if muX >= 0 {
                    merge(nu, Int(muX))
                } else {
                    let nuXi = table[nu * width + xi]
                    if nuXi >= 0 {
                        merge(mu, Int(nuXi))
                    } else {
                        table[mu * width + x] = Int32(nu)
                        table[nu * width + xi] = Int32(mu)
                        if felsch { deductions.append(mu * width + x) }
                    }
                }
            }
        }
    }

    // MARK: Space

    /// Makes room for `wanted` more cosets if possible, and for at least `needed`:
    /// reclaims dead rows, grows the table up to the limit, and at the limit (HLT)
    /// looks ahead for coincidences first. Called only between scans, where no
    /// coincidence is pending, because compaction renumbers the cosets.
    mutating func ensureRoom(_ wanted: Int, atLeast needed: Int) throws(EnumerationError) {
        if rowCount + wanted <= capacity { return }
        let dead = rowCount - liveCount
        if dead >= wanted, dead >= rowCount / 4 {
            compact()
            if rowCount + wanted <= capacity { return }
        }
        if capacity < maximumRows {
            grow(to: min(maximumRows, max(2 * capacity, rowCount + wanted)))
            if rowCount + wanted <= capacity { return }
        }
        // At the limit.
        if !definesByRows { lookahead() }
        let reclaimable = rowCount - liveCount
        let worthwhile = min(limit / 64, 1 << 16)
        if reclaimable > 0, reclaimable >= worthwhile || capacity - rowCount < needed {
            // Each compaction costs a pass over the table: a table stuck at the limit
            // that only ever frees a few rows gives up after a while instead of crawling.
            if reclaimable < worthwhile {
                smallReclaimsLeft -= 1
                if smallReclaimsLeft < 0 { throw limitError() }
            }
            compact()
        }
        if capacity - rowCount >= needed { return }
        throw limitError()
    }

    /// The error at the limit: the coset limit, or the table size when that bound first.
    func limitError() -> EnumerationError {
        if maximumRows < limit {
            return .tableTooLarge(columns: width, cosets: maximumRows, limit: EnumerationOptions.maximumTableEntries)
        }
        return .cosetLimitExceeded(limit: limit, liveCosets: liveCount)
    }

    /// Compactions at the limit that reclaimed little, still allowed.
    var smallReclaimsLeft = 64

    mutating func grow(to newCapacity: Int) {
        let newTable = UnsafeMutablePointer<Int32>.allocate(capacity: newCapacity * max(width, 1))
        newTable.moveInitialize(from: table, count: rowCount * width)
        table.deallocate()
        table = newTable
        let newParent = UnsafeMutablePointer<Int32>.allocate(capacity: newCapacity)
        newParent.moveInitialize(from: parent, count: rowCount)
        parent.deallocate()
        parent = newParent
        capacity = newCapacity
    }

    /// Renumbers the live cosets 0, 1, … in order and drops the dead rows.
    mutating func compact() {
        let width = self.width
        let newOf = UnsafeMutablePointer<Int32>.allocate(capacity: max(rowCount, 1))
        defer { newOf.deallocate() }
        var next: Int32 = 0
        var newCursor = -1
        for c in 0..<rowCount {
            if c == cursor { newCursor = Int(next) }
            if parent[c] == Int32(c) {
                newOf[c] = next
                next += 1
            } else {
                newOf[c] = -1
            }
        }
        for c in 0..<rowCount where newOf[c] >= 0 {
            let target = Int(newOf[c]) * width
            for x in 0..<width {
                let d = table[c * width + x]
                table[target + x] = d < 0 ? -1 : newOf[Int(d)]
            }
        }
        // A dead cursor moves to the next live coset (or past the end).
        cursor = newCursor >= 0 ? newCursor : Int(next)
        var kept: [Int] = []
        for entry in deductions {
            let c = entry / width
            if newOf[c] >= 0 { kept.append(Int(newOf[c]) * width + entry - c * width) }
        }
        deductions = kept
        rowCount = Int(next)
        for c in 0..<rowCount { parent[c] = Int32(c) }
        liveCount = rowCount
    }

    /// HLT lookahead (HEO §5.1.4): scan every relator at every live coset without
    /// defining new cosets, recording deductions and processing coincidences.
    mutating func lookahead() {
        relatorLetters.withUnsafeBufferPointer { letters in
            relatorInverseLetters.withUnsafeBufferPointer { inverses in
                for r in relators.indices {
                    var c = 0
                    while c < rowCount {
                        if parent[c] == Int32(c) { scan(c, relatorStarts[r], relatorStarts[r + 1], letters, inverses) }
                        c += 1
                    }
                }
            }
        }
    }

    // MARK: Result

    /// The standardized public table (columns x₀, x₀⁻¹, x₁, …).
    func result() -> CosetTable {
        let n = liveCount
        let publicWidth = 2 * generatorCount
        var publicColumns: [Int] = []
        for i in 0..<generatorCount { publicColumns += [columnOfGenerator[i], columnOfInverse[i]] }
        var newOf = [Int32](repeating: -1, count: rowCount)
        var oldOf = [Int32](repeating: 0, count: n)
        newOf[0] = 0
        var next = 1
        var k = 0
        while k < next {
            let c = Int(oldOf[k])
            for x in publicColumns {
                let d = Int(table[c * width + x])
                precondition(d >= 0 && parent[d] == Int32(d), "internal error: incomplete coset table")
                if newOf[d] < 0 {
                    newOf[d] = Int32(next)
                    oldOf[next] = Int32(d)
                    next += 1
                }
            }
            k += 1
        }
        precondition(next == n, "internal error: \(n) live cosets but \(next) reachable")
        var out = [Int32](repeating: 0, count: n * publicWidth)
        out.withUnsafeMutableBufferPointer { out in
            for new in 0..<n {
                let old = Int(oldOf[new])
                for (column, x) in publicColumns.enumerated() {
                    out[new * publicWidth + column] = newOf[Int(table[old * width + x])]
                }
            }
        }
        return CosetTable(uncheckedCosetCount: n, generatorCount: generatorCount, table: out)
    }
}
