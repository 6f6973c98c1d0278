/// Division, shifts and gcd for `BigUInt` (Knuth, TAOCP vol. 2, §4.3.1,
/// Algorithm D; Euclid's algorithm on top of it).
extension BigUInt {
    /// The number of significant bits (0 for zero).
    public var bitWidth: Int {
        guard let top = limbs.last else { return 0 }
        return limbs.count * 64 - top.leadingZeroBitCount
    }

    /// The value as a `UInt64` when it fits.
    public var uint64Value: UInt64? {
        switch limbs.count {
        case 0: return 0
        case 1: return limbs[0]
        default: return nil
        }
    }

    /// `self · 2^shift`; traps on a negative shift.
    /// - Complexity: O(n + shift/64) limbs.
    public func shiftedLeft(by shift: Int) -> BigUInt {
        precondition(shift >= 0)
        if isZero || shift == 0 { return self }
        let limbShift = shift / 64, bitShift = shift % 64
        var result = [UInt64](repeating: 0, count: limbs.count + limbShift + 1)
        for i in limbs.indices {
            let limb = limbs[i]
            result[i + limbShift] |= limb << UInt64(bitShift)
            if bitShift != 0 { result[i + limbShift + 1] |= limb >> UInt64(64 - bitShift) }
        }
        return BigUInt(limbs: result)
    }

    /// `⌊self / 2^shift⌋`; traps on a negative shift.
    /// - Complexity: O(n) limbs.
    public func shiftedRight(by shift: Int) -> BigUInt {
        precondition(shift >= 0)
        let limbShift = shift / 64, bitShift = shift % 64
        if limbShift >= limbs.count { return BigUInt() }
        var result = [UInt64](repeating: 0, count: limbs.count - limbShift)
        for i in result.indices {
            var limb = limbs[i + limbShift] >> UInt64(bitShift)
            if bitShift != 0, i + limbShift + 1 < limbs.count {
                limb |= limbs[i + limbShift + 1] << UInt64(64 - bitShift)
            }
            result[i] = limb
        }
        return BigUInt(limbs: result)
    }

    /// Quotient and remainder of `self / divisor`; traps on a zero divisor.
    ///
    /// ```swift
    /// BigUInt.factorial(30).quotientAndRemainder(dividingBy: BigUInt.factorial(28))  // (870, 0)
    /// ```
    /// - Complexity: O(m·n) limb operations for m- and n-limb operands.
    public func quotientAndRemainder(dividingBy divisor: BigUInt) -> (quotient: BigUInt, remainder: BigUInt) {
        precondition(!divisor.isZero, "BigUInt division by zero")
        if self < divisor { return (BigUInt(), self) }
        if divisor.limbs.count == 1 {
            var q = self
            let r = q.divide(bySmall: divisor.limbs[0])
            return (q, BigUInt(r))
        }
        // Algorithm D: normalize so the divisor's top limb has its high bit set.
        let shift = divisor.limbs[divisor.limbs.count - 1].leadingZeroBitCount
        let v = divisor.shiftedLeft(by: shift).limbs
        var u = shiftedLeft(by: shift).limbs
        let n = v.count
        while u.count < limbs.count + 1 { u.append(0) }
        let m = u.count - n - 1
        var q = [UInt64](repeating: 0, count: m + 1)
        let vTop = v[n - 1], vNext = v[n - 2]
        for j in stride(from: m, through: 0, by: -1) {
            let uTop = u[j + n], uNext = u[j + n - 1], uThird = u[j + n - 2]
            var qhat: UInt64
            var rhat: UInt64
            var rhatOverflow = false
            if uTop >= vTop {
                qhat = UInt64.max
                (rhat, rhatOverflow) = uNext.addingReportingOverflow(vTop)
            } else {
                (qhat, rhat) = vTop.dividingFullWidth((high: uTop, low: uNext))
            }
            while !rhatOverflow {
                let (ph, pl) = qhat.multipliedFullWidth(by: vNext)
                if ph > rhat || (ph == rhat && pl > uThird) {
                    qhat -= 1
                    (rhat, rhatOverflow) = rhat.addingReportingOverflow(vTop)
                } else {
                    break
                }
            }
            // Multiply and subtract qhat·v from u[j ..< j+n+1].
            var carry: UInt64 = 0
            var borrow: UInt64 = 0
            for i in 0..<n {
                let (ph, pl) = qhat.multipliedFullWidth(by: v[i])
                let (low, o1) = pl.addingReportingOverflow(carry)
                carry = ph &+ (o1 ? 1 : 0)
                let (d1, b1) = u[i + j].subtractingReportingOverflow(low)
                let (d2, b2) = d1.subtractingReportingOverflow(borrow)
                u[i + j] = d2
                borrow = (b1 ? 1 : 0) + (b2 ? 1 : 0)
            }
            let (d1, b1) = u[j + n].subtractingReportingOverflow(carry)
            let (d2, b2) = d1.subtractingReportingOverflow(borrow)
            u[j + n] = d2
            if b1 || b2 {
                // qhat was one too large: add v back.
                qhat -= 1
                var c: UInt64 = 0
                for i in 0..<n {
                    let (s1, o1) = u[i + j].addingReportingOverflow(v[i])
                    let (s2, o2) = s1.addingReportingOverflow(c)
                    u[i + j] = s2
                    c = (o1 ? 1 : 0) + (o2 ? 1 : 0)
                }
                u[j + n] &+= c
            }
            q[j] = qhat
        }
        let remainder = BigUInt(limbs: Array(u[0..<n])).shiftedRight(by: shift)
        return (BigUInt(limbs: q), remainder)
    }

    /// Truncated quotient `⌊lhs / rhs⌋`; traps on a zero divisor (see `quotientAndRemainder(dividingBy:)`).
    public static func / (lhs: BigUInt, rhs: BigUInt) -> BigUInt {
        lhs.quotientAndRemainder(dividingBy: rhs).quotient
    }

    /// Remainder `lhs mod rhs`, in `0..<rhs`; traps on a zero divisor.
    public static func % (lhs: BigUInt, rhs: BigUInt) -> BigUInt {
        lhs.quotientAndRemainder(dividingBy: rhs).remainder
    }

    /// Subtracts `rhs` from `lhs`; traps if `rhs > lhs`.
    public static func -= (lhs: inout BigUInt, rhs: BigUInt) { lhs = lhs - rhs }

    /// Greatest common divisor; `gcd(0, 0) = 0`.
    ///
    /// ```swift
    /// BigUInt.gcd(BigUInt.factorial(20), BigUInt.power(2, 40))  // 262144 (2^18)
    /// ```
    /// - Complexity: O(n²) limb operations for n-limb operands: one Euclid step (Algorithm D)
    ///   to balance the sizes, then binary gcd in place (Stein), then single-limb Euclid.
    public static func gcd(_ a: BigUInt, _ b: BigUInt) -> BigUInt {
        if a.isZero { return b }
        if b.isZero { return a }
        var (x, y) = a < b ? (b, a) : (a, b)
        if x.limbs.count > y.limbs.count + 1 {
            x = x % y
            if x.isZero { return y }
        }
        var u = x.limbs, v = y.limbs
        let uz = trailingZeroBits(u), vz = trailingZeroBits(v)
        let shift = Swift.min(uz, vz)
        shiftRightInPlace(&u, by: uz)
        shiftRightInPlace(&v, by: vz)
        // Both odd from here on.
        while true {
            if u.count == 1 && v.count == 1 {
                var (p, q) = (u[0], v[0])
                while q != 0 { (p, q) = (q, p % q) }
                return BigUInt(p).shiftedLeft(by: shift)
            }
            if lessThan(u, v) { swap(&u, &v) }
            subtractInPlace(&u, v)
            if u.isEmpty { return BigUInt(limbs: v).shiftedLeft(by: shift) }
            shiftRightInPlace(&u, by: trailingZeroBits(u))
        }
    }

    private static func trailingZeroBits(_ limbs: [UInt64]) -> Int {
        for (i, limb) in limbs.enumerated() where limb != 0 { return i * 64 + limb.trailingZeroBitCount }
        return 0
    }

    private static func shiftRightInPlace(_ limbs: inout [UInt64], by shift: Int) {
        if shift == 0 { return }
        let limbShift = shift / 64, bitShift = UInt64(shift % 64)
        let count = limbs.count - limbShift
        limbs.withUnsafeMutableBufferPointer { l in
            for i in 0..<count {
                var value = l[i + limbShift] >> bitShift
                if bitShift != 0, i + limbShift + 1 < l.count { value |= l[i + limbShift + 1] << (64 - bitShift) }
                l[i] = value
            }
        }
        limbs.removeLast(limbShift)
        while let last = limbs.last, last == 0 { limbs.removeLast() }
    }

    private static func lessThan(_ a: [UInt64], _ b: [UInt64]) -> Bool {
        if a.count != b.count { return a.count < b.count }
        for i in stride(from: a.count - 1, through: 0, by: -1) where a[i] != b[i] { return a[i] < b[i] }
        return false
    }

    /// a −= b for a ≥ b.
    private static func subtractInPlace(_ a: inout [UInt64], _ b: [UInt64]) {
        var borrow: UInt64 = 0
        a.withUnsafeMutableBufferPointer { a in
            for i in 0..<a.count {
                if i >= b.count && borrow == 0 { break }
                let (d1, o1) = a[i].subtractingReportingOverflow(i < b.count ? b[i] : 0)
                let (d2, o2) = d1.subtractingReportingOverflow(borrow)
                a[i] = d2
                borrow = (o1 || o2) ? 1 : 0
            }
        }
        while let last = a.last, last == 0 { a.removeLast() }
    }
}
