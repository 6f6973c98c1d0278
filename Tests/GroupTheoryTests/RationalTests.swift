import GroupTheory
import XCTest

final class RationalTests: XCTestCase {
    func testSmallArithmeticAndCanonicalForm() {
        XCTAssertEqual(Rational(1, 2) + Rational(1, 3), Rational(5, 6))
        XCTAssertEqual(Rational(6, -4).description, "-3/2")
        XCTAssertEqual(Rational(-6, -4), Rational(3, 2))
        XCTAssertEqual((Rational(3, 4) / Rational(-9, 8)).description, "-2/3")
        XCTAssertEqual(Rational(0, -5), .zero)
        XCTAssertTrue(Rational(0, 7).isZero)
        XCTAssertTrue(Rational(-1, 3) < Rational(-1, 4))
        XCTAssertEqual(Rational(2, 3).power(-3), Rational(27, 8))
        XCTAssertEqual(Rational(-5, 7).magnitude, Rational(5, 7))
        XCTAssertEqual(Rational(3, 8).doubleValue, 0.375)
    }

    func testOverflowPromotesExactly() {
        // (2^62 + 1)/3 · 7/2^61 = 7(2^62 + 1) / (3 · 2^61), already in lowest terms.
        let a = Rational(Int64(1) << 62 + 1, 3)
        let b = Rational(7, Int64(1) << 61)
        let product = a * b
        XCTAssertFalse(product.hasInt64Parts)
        XCTAssertEqual(product.description, "32281802128991715335/6917529027641081856")
        XCTAssertEqual(product.bigNumerator, BigInt(decimal: "32281802128991715335"))
        // Dividing back demotes to the small representation and is equal (and hashes equal).
        let back = product / b
        XCTAssertTrue(back.hasInt64Parts)
        XCTAssertEqual(back, a)
        XCTAssertEqual(Set([back, a]).count, 1)
        XCTAssertEqual(product.doubleValue, 32281802128991715335.0 / 6917529027641081856.0, accuracy: 1e-15)
    }

    func testInt64BoundaryRoundTrip() {
        let max = Rational(Int64.max)
        let beyond = max + 1
        XCTAssertFalse(beyond.hasInt64Parts)
        XCTAssertEqual(beyond.description, "9223372036854775808")
        XCTAssertEqual(beyond - 1, max)
        XCTAssertTrue((beyond - 1).hasInt64Parts)
        XCTAssertEqual((beyond - 1).hashValue, max.hashValue)
        let minimum = Rational(Int64.min)
        XCTAssertEqual(minimum.description, "-9223372036854775808")
        XCTAssertEqual(-minimum, beyond)
        XCTAssertEqual(minimum + 1, Rational(Int64.min + 1))
        XCTAssertEqual((minimum + 1).numerator, Int64.min + 1)
        XCTAssertTrue(minimum < Rational(Int64.min + 1))
        XCTAssertTrue(beyond > max)
        XCTAssertEqual(Rational(Int64.max, 2) * 2, max)
        XCTAssertEqual(Rational(1, Int64.max) * Rational(1, 2), Rational(numerator: 1, denominator: BigInt(Int64.max) * 2))
    }

    func testHarmonicNumberH60() {
        var h = Rational.zero
        for k in 1...60 { h += Rational(1, k) }
        // H_60 computed once with Python's fractions.Fraction: sum(Fraction(1, k) for k in range(1, 61)).
        XCTAssertEqual(h.bigNumerator.description, "15117092380124150817026911")
        XCTAssertEqual(h.bigDenominator.description, "3230237388259077233637600")
        XCTAssertEqual(h.doubleValue, 4.679870412951738, accuracy: 1e-14)
        // Subtracting the terms again returns exactly to zero through the big representation.
        for k in 1...60 { h -= Rational(1, k) }
        XCTAssertEqual(h, .zero)
    }

    func testParsingAndDescription() {
        XCTAssertEqual(Rational(parsing: "3"), Rational(3))
        XCTAssertEqual(Rational(parsing: " -3 / 4 "), Rational(-3, 4))
        XCTAssertEqual(Rational(parsing: "10/4"), Rational(5, 2))
        XCTAssertNil(Rational(parsing: "1/0"))
        XCTAssertNil(Rational(parsing: "x"))
        XCTAssertNil(Rational(parsing: "1/2/3"))
        let big = Rational(parsing: "123456789012345678901234567890/10")
        XCTAssertEqual(big?.description, "12345678901234567890123456789")
        XCTAssertEqual(Rational(parsing: "-100000000000000000000/300000000000000000000"), Rational(-1, 3))
    }

    func testDoubleValueOfHugeParts() {
        let ten = Rational(numerator: BigInt(BigUInt.power(10, 400)), denominator: BigInt(BigUInt.power(10, 399)))
        XCTAssertEqual(ten, Rational(10))
        let x = Rational(numerator: BigInt(BigUInt.power(10, 400)) + 1, denominator: BigInt(BigUInt.power(10, 399)))
        XCTAssertEqual(x.doubleValue, 10, accuracy: 1e-14)
        let tiny = Rational(numerator: -1, denominator: BigInt(BigUInt.power(2, 600)))
        XCTAssertEqual(tiny.doubleValue, -Double(sign: .plus, exponent: -600, significand: 1))
    }

    func testBigIntDivisionMatchesMultiplication() {
        var rng = SplitMix64(seed: 7)
        for trial in 0..<200 {
            let a = BigUInt(limbs: (0..<(1 + trial % 5)).map { _ in rng.next() })
            var b = BigUInt(limbs: (0..<(1 + trial % 3)).map { _ in rng.next() >> (trial % 64) })
            if b.isZero { b = 3 }
            let r = BigUInt(limbs: b.limbs.map { _ in rng.next() }) % b
            let (q, rem) = (a * b + r).quotientAndRemainder(dividingBy: b)
            XCTAssertEqual(q, a, "trial \(trial)")
            XCTAssertEqual(rem, r, "trial \(trial)")
        }
        // Edge case for Algorithm D's add-back step (Knuth's test pattern).
        let u = BigUInt(limbs: [0, 0, 0x8000_0000_0000_0000, 0x7FFF_FFFF_FFFF_FFFF])
        let v = BigUInt(limbs: [1, 0, 0x8000_0000_0000_0000])
        let (q, r) = u.quotientAndRemainder(dividingBy: v)
        XCTAssertEqual(q * v + r, u)
        XCTAssertTrue(r < v)
        XCTAssertEqual(BigUInt.gcd(BigUInt.factorial(30), BigUInt.power(2, 100)), BigUInt.power(2, 26))
        XCTAssertEqual(BigInt(-7) / BigInt(2), BigInt(-3))
        XCTAssertEqual(BigInt(-7) % BigInt(2), BigInt(-1))
        XCTAssertEqual(BigInt(decimal: "-18446744073709551617")?.description, "-18446744073709551617")
    }

    func testBinaryGCDAgainstEuclid() {
        var rng = SplitMix64(seed: 17)
        for trial in 0..<500 {
            let g = BigUInt(limbs: (0..<(1 + trial % 3)).map { _ in rng.next() >> (trial % 50) })
            let a = BigUInt(limbs: (0..<(trial % 5)).map { _ in rng.next() >> (trial % 7) }) * g
            let b = BigUInt(limbs: (0..<(1 + trial % 4)).map { _ in rng.next() }) * g
            var (x, y) = (a, b)
            while !y.isZero { (x, y) = (y, x % y) }
            XCTAssertEqual(BigUInt.gcd(a, b), x, "trial \(trial)")
        }
    }
}
