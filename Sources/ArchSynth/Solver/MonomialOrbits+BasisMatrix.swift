import GroupTheory

/// Monomial bases as the solver stores them (sparse `BasisMatrix`, exact ±1 values).
extension MonomialOrbits {
    /// The sparse basis matrices, one per orbit, entries in row-major order.
    ///
    /// The pair positions are grouped by orbit with a stable two-level radix scatter (at most
    /// 256 write streams per pass, so caches and TLB keep up), each position carrying its sign
    /// in the sign bit; then every element's arrays are filled from its contiguous, row-major
    /// run of positions. Extra memory: three `Int32` per nonzero, temporarily.
    func elements(rows: Int, columns: Int) -> [BasisMatrix] {
        var offsets = [Int](repeating: 0, count: count + 1)
        for i in index where i >= 0 { offsets[Int(i) + 1] += 1 }
        for t in 0..<count { offsets[t + 1] += offsets[t] }
        let total = offsets[count]
        // Buckets of 2^shift consecutive orbits, at most 256 of them.
        var shift = 0
        while (count - 1) >> shift >= 256 { shift += 1 }
        let bucketCount = count == 0 ? 0 : ((count - 1) >> shift) + 1
        var bucketFill = (0..<bucketCount).map { offsets[$0 << shift] }
        var staged = [Int32](repeating: 0, count: total)
        var stagedOrbit = [Int32](repeating: 0, count: shift > 0 ? total : 0)
        index.withUnsafeBufferPointer { index in
            sign.withUnsafeBufferPointer { sign in
                staged.withUnsafeMutableBufferPointer { staged in
                    stagedOrbit.withUnsafeMutableBufferPointer { stagedOrbit in
                        for x in 0..<index.count where index[x] >= 0 {
                            let b = Int(index[x]) >> shift
                            staged[bucketFill[b]] = sign[x] < 0 ? ~Int32(x) : Int32(x)
                            if shift > 0 { stagedOrbit[bucketFill[b]] = index[x] }
                            bucketFill[b] += 1
                        }
                    }
                }
            }
        }
        var positions = staged
        if shift > 0 {
            var fill = Array(offsets.dropLast())
            stagedOrbit.withUnsafeBufferPointer { stagedOrbit in
                staged.withUnsafeBufferPointer { staged in
                    positions.withUnsafeMutableBufferPointer { positions in
                        for p in 0..<total {
                            let i = Int(stagedOrbit[p])
                            positions[fill[i]] = staged[p]
                            fill[i] += 1
                        }
                    }
                }
            }
        }
        staged = []
        stagedOrbit = []
        let minusOne = Rational(-1)
        return positions.withUnsafeBufferPointer { positions in
            (0..<count).map { t in
                let range = offsets[t]..<offsets[t + 1]
                let entries = [SparseEntry<Double>](unsafeUninitializedCapacity: range.count) { buffer, initialized in
                    var k = 0
                    for p in range {
                        let v = positions[p]
                        let x = Int(v < 0 ? ~v : v)
                        let (r, c) = x.quotientAndRemainder(dividingBy: columns)
                        buffer.baseAddress!.advanced(by: k).initialize(
                            to: SparseEntry(row: r, column: c, value: v < 0 ? -1 : 1))
                        k += 1
                    }
                    initialized = range.count
                }
                let exact = [Rational](unsafeUninitializedCapacity: range.count) { buffer, initialized in
                    var k = 0
                    for p in range {
                        buffer.baseAddress!.advanced(by: k).initialize(to: positions[p] < 0 ? minusOne : .one)
                        k += 1
                    }
                    initialized = range.count
                }
                return BasisMatrix(rows: rows, columns: columns, entries: entries, exactValues: exact)
            }
        }
    }
}
