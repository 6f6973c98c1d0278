/// Small Float64 kernels shared by the decompositions, written with SIMD so that
/// the hot loops run at vector speed whatever the optimizer decides about aliasing.
extension Matrix {
    /// Applies a plane rotation to two rows: x ← c·x − s·y, y ← s·x + c·y.
    /// `x` and `y` must not overlap.
    @inline(__always)
    static func rotate(_ x: UnsafeMutablePointer<Double>, _ y: UnsafeMutablePointer<Double>,
                       count: Int, c: Double, s: Double)
    {
        let rx = UnsafeMutableRawPointer(x), ry = UnsafeMutableRawPointer(y)
        let cv = SIMD4<Double>(repeating: c), sv = SIMD4<Double>(repeating: s)
        var k = 0
        while k + 4 <= count {
            let offset = k &* 8
            let a = rx.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self)
            let b = ry.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self)
            rx.storeBytes(of: cv * a - sv * b, toByteOffset: offset, as: SIMD4<Double>.self)
            ry.storeBytes(of: sv * a + cv * b, toByteOffset: offset, as: SIMD4<Double>.self)
            k &+= 4
        }
        while k < count {
            let a = x[k], b = y[k]
            x[k] = c * a - s * b
            y[k] = s * a + c * b
            k &+= 1
        }
    }

    /// Σ x[k]·y[k] for k < count.
    @inline(__always)
    static func dot(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, count: Int) -> Double {
        let rx = UnsafeRawPointer(x), ry = UnsafeRawPointer(y)
        var acc0 = SIMD4<Double>(), acc1 = SIMD4<Double>()
        var k = 0
        while k + 8 <= count {
            let offset = k &* 8
            acc0 += rx.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self)
                * ry.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self)
            acc1 += rx.loadUnaligned(fromByteOffset: offset &+ 32, as: SIMD4<Double>.self)
                * ry.loadUnaligned(fromByteOffset: offset &+ 32, as: SIMD4<Double>.self)
            k &+= 8
        }
        var sum = (acc0 + acc1).sum()
        while k < count {
            sum += x[k] * y[k]
            k &+= 1
        }
        return sum
    }

    /// y ← y + a·x for k < count; `x` and `y` must not overlap.
    @inline(__always)
    static func axpy(_ a: Double, _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, count: Int) {
        let rx = UnsafeRawPointer(x), ry = UnsafeMutableRawPointer(y)
        let av = SIMD4<Double>(repeating: a)
        var k = 0
        while k + 4 <= count {
            let offset = k &* 8
            let v = ry.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self)
                + av * rx.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self)
            ry.storeBytes(of: v, toByteOffset: offset, as: SIMD4<Double>.self)
            k &+= 4
        }
        while k < count {
            y[k] += a * x[k]
            k &+= 1
        }
    }
}
