import ArchSynth
import Foundation

/// A small line plot written as SVG text: axes, ticks, linear or logarithmic scales, a legend,
/// markers and vertical error bars. The output is deterministic (fixed palette, coordinates
/// rounded to 0.01 px, no dates), so a committed plot changes only when its numbers do.
///
/// Conventions: points with a non-finite coordinate, or a non-positive one on a log axis, are
/// left out (and so are the error-bar ends that would be); the axis ranges cover every drawn
/// point and error-bar end.
///
/// ```swift
/// var plot = SVGPlot(title: "test error", xLabel: "examples", yLabel: "RMSE", xScale: .log(base: 2), yScale: .log(base: 10))
/// plot.series.append(.init(name: "equivariant", points: [.init(x: 16, y: 0.3, low: 0.25, high: 0.35)]))
/// let svg = plot.render()
/// ```
public struct SVGPlot: Sendable {
    public enum Scale: Sendable, Equatable {
        case linear
        /// Ticks at integer powers of `base` (and at 2 and 5 times the powers of 10 when a base-10
        /// axis spans at most three decades).
        case log(base: Double)
    }

    public struct Point: Sendable, Equatable {
        public var x: Double
        public var y: Double
        /// The ends of the error bar, if any (e.g. min and max over seeds).
        public var low: Double?
        public var high: Double?

        public init(x: Double, y: Double, low: Double? = nil, high: Double? = nil) {
            self.x = x
            self.y = y
            self.low = low
            self.high = high
        }
    }

    public struct Series: Sendable, Equatable {
        public var name: String
        public var points: [Point]
        public var dashed: Bool

        public init(name: String, points: [Point], dashed: Bool = false) {
            self.name = name
            self.points = points
            self.dashed = dashed
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var xScale: Scale
    public var yScale: Scale
    public var series: [Series] = []
    public var width = 720.0
    public var height = 440.0

    static let gridColor = "#e5e5e5"

    /// The palette, in series order (repeats after twelve series).
    public static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#000000", "#aec7e8"]

    public init(title: String, xLabel: String, yLabel: String, xScale: Scale = .linear, yScale: Scale = .linear, series: [Series] = []) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.xScale = xScale
        self.yScale = yScale
        self.series = series
    }

    // Plot area margins: left (tick labels and y label), right (legend), top (title), bottom.
    private var left: Double { 78 }
    private var right: Double { 230 }
    private var top: Double { 40 }
    private var bottom: Double { 56 }

    /// The SVG document.
    public func render() -> String {
        let x0 = left, x1 = width - right, y0 = height - bottom, y1 = top
        let xAxis = SVGAxis(scale: xScale, values: drawnValues(\.x, errorBars: false))
        let yAxis = SVGAxis(scale: yScale, values: drawnValues(\.y, errorBars: true))
        func px(_ v: Double) -> Double { x0 + (x1 - x0) * xAxis.fraction(v) }
        func py(_ v: Double) -> Double { y0 + (y1 - y0) * yAxis.fraction(v) }

        var out: [String] = []
        out.append(#"<?xml version="1.0" encoding="UTF-8"?>"#)
        out.append(#"<svg xmlns="http://www.w3.org/2000/svg" width="\#(svgNumber(width))" height="\#(svgNumber(height))" viewBox="0 0 \#(svgNumber(width)) \#(svgNumber(height))" font-family="Helvetica, Arial, sans-serif" font-size="12">"#)
        out.append(#"<rect x="0" y="0" width="\#(svgNumber(width))" height="\#(svgNumber(height))" fill="white"/>"#)
        out.append(#"<text class="title" x="\#(svgNumber((x0 + x1) / 2))" y="22" text-anchor="middle" font-size="15">\#(xmlEscaped(title))</text>"#)

        // Grid and ticks.
        out.append(#"<g class="x-ticks">"#)
        for t in xAxis.ticks {
            let x = px(t)
            out.append(#"<line class="grid" x1="\#(svgNumber(x))" y1="\#(svgNumber(y0))" x2="\#(svgNumber(x))" y2="\#(svgNumber(y1))" stroke="\#(SVGPlot.gridColor)"/>"#)
            out.append(#"<line class="tick" x1="\#(svgNumber(x))" y1="\#(svgNumber(y0))" x2="\#(svgNumber(x))" y2="\#(svgNumber(y0 + 5))" stroke="black"/>"#)
            out.append(#"<text class="tick-label" x="\#(svgNumber(x))" y="\#(svgNumber(y0 + 18))" text-anchor="middle">\#(xmlEscaped(SVGPlot.label(t)))</text>"#)
        }
        out.append("</g>")
        out.append(#"<g class="y-ticks">"#)
        for t in yAxis.ticks {
            let y = py(t)
            out.append(#"<line class="grid" x1="\#(svgNumber(x0))" y1="\#(svgNumber(y))" x2="\#(svgNumber(x1))" y2="\#(svgNumber(y))" stroke="\#(SVGPlot.gridColor)"/>"#)
            out.append(#"<line class="tick" x1="\#(svgNumber(x0 - 5))" y1="\#(svgNumber(y))" x2="\#(svgNumber(x0))" y2="\#(svgNumber(y))" stroke="black"/>"#)
            out.append(#"<text class="tick-label" x="\#(svgNumber(x0 - 8))" y="\#(svgNumber(y + 4))" text-anchor="end">\#(xmlEscaped(SVGPlot.label(t)))</text>"#)
        }
        out.append("</g>")
        out.append(#"<line class="axis x-axis" x1="\#(svgNumber(x0))" y1="\#(svgNumber(y0))" x2="\#(svgNumber(x1))" y2="\#(svgNumber(y0))" stroke="black"/>"#)
        out.append(#"<line class="axis y-axis" x1="\#(svgNumber(x0))" y1="\#(svgNumber(y0))" x2="\#(svgNumber(x0))" y2="\#(svgNumber(y1))" stroke="black"/>"#)
        let xSuffix = SVGPlot.scaleNote(xScale), ySuffix = SVGPlot.scaleNote(yScale)
        out.append(#"<text class="axis-label" x="\#(svgNumber((x0 + x1) / 2))" y="\#(svgNumber(height - 14))" text-anchor="middle">\#(xmlEscaped(xLabel + xSuffix))</text>"#)
        out.append(#"<text class="axis-label" x="18" y="\#(svgNumber((y0 + y1) / 2))" text-anchor="middle" transform="rotate(-90 18 \#(svgNumber((y0 + y1) / 2)))">\#(xmlEscaped(yLabel + ySuffix))</text>"#)

        // Series.
        for (k, s) in series.enumerated() {
            let color = SVGPlot.palette[k % SVGPlot.palette.count]
            let drawn = s.points.filter { xAxis.accepts($0.x) && yAxis.accepts($0.y) }
            out.append(#"<g class="series" data-name="\#(xmlEscaped(s.name))">"#)
            for p in drawn {
                guard let lo = p.low, let hi = p.high, yAxis.accepts(lo), yAxis.accepts(hi) else { continue }
                let x = px(p.x)
                out.append(#"<line class="error-bar" x1="\#(svgNumber(x))" y1="\#(svgNumber(py(lo)))" x2="\#(svgNumber(x))" y2="\#(svgNumber(py(hi)))" stroke="\#(color)"/>"#)
                for v in [lo, hi] {
                    out.append(#"<line class="error-cap" x1="\#(svgNumber(x - 4))" y1="\#(svgNumber(py(v)))" x2="\#(svgNumber(x + 4))" y2="\#(svgNumber(py(v)))" stroke="\#(color)"/>"#)
                }
            }
            if drawn.count > 1 {
                let coords = drawn.map { "\(svgNumber(px($0.x))),\(svgNumber(py($0.y)))" }.joined(separator: " ")
                let dash = s.dashed ? #" stroke-dasharray="6 4""# : ""
                out.append(#"<polyline points="\#(coords)" fill="none" stroke="\#(color)" stroke-width="2"\#(dash)/>"#)
            }
            for p in drawn {
                out.append(#"<circle cx="\#(svgNumber(px(p.x)))" cy="\#(svgNumber(py(p.y)))" r="3.5" fill="\#(color)"/>"#)
            }
            out.append("</g>")
        }

        // Legend, right of the plot area.
        out.append(#"<g class="legend">"#)
        for (k, s) in series.enumerated() {
            let color = SVGPlot.palette[k % SVGPlot.palette.count]
            let y = y1 + 10 + 20 * Double(k)
            let dash = s.dashed ? #" stroke-dasharray="6 4""# : ""
            out.append(#"<line x1="\#(svgNumber(x1 + 14))" y1="\#(svgNumber(y))" x2="\#(svgNumber(x1 + 38))" y2="\#(svgNumber(y))" stroke="\#(color)" stroke-width="2"\#(dash)/>"#)
            out.append(#"<text class="legend-label" x="\#(svgNumber(x1 + 44))" y="\#(svgNumber(y + 4))">\#(xmlEscaped(s.name))</text>"#)
        }
        out.append("</g>")
        out.append("</svg>")
        return out.joined(separator: "\n") + "\n"
    }

    private func drawnValues(_ key: KeyPath<Point, Double>, errorBars: Bool) -> [Double] {
        var values: [Double] = []
        for s in series {
            for p in s.points {
                values.append(p[keyPath: key])
                if errorBars, let lo = p.low, let hi = p.high {
                    values += [lo, hi]
                }
            }
        }
        return values
    }

    private static func scaleNote(_ scale: Scale) -> String {
        switch scale {
        case .linear: return ""
        case let .log(base): return " (log\(base == 10 ? "" : " base " + label(base)) scale)"
        }
    }

    /// A tick label: integers without a decimal point, otherwise the shortest round-trip text.
    public static func label(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return String(format: "%.10g", v)  // 0.6 rather than 0.6000000000000001
    }
}

/// One axis of an `SVGPlot`: the range its values need and its ticks.
public struct SVGAxis: Sendable {
    public let scale: SVGPlot.Scale
    public let lo: Double
    public let hi: Double
    public let ticks: [Double]

    public init(scale: SVGPlot.Scale, values: [Double]) {
        self.scale = scale
        let usable = values.filter { v in
            guard v.isFinite else { return false }
            if case .log = scale { return v > 0 }
            return true
        }
        var lo = usable.min() ?? (scale == .linear ? 0 : 1)
        var hi = usable.max() ?? (scale == .linear ? 1 : 10)
        switch scale {
        case .linear:
            if hi - lo <= 0 {
                let pad = max(abs(lo) * 0.1, 1)
                lo -= pad
                hi += pad
            }
            let step = SVGAxis.niceStep((hi - lo) / 6)
            lo = (lo / step).rounded(.down) * step
            hi = (hi / step).rounded(.up) * step
            var t: [Double] = []
            var k = 0
            while lo + Double(k) * step <= hi + step * 1e-9 {
                let v = lo + Double(k) * step
                t.append(abs(v) < step * 1e-9 ? 0 : (v / step).rounded() * step)
                k += 1
            }
            ticks = t
        case let .log(base):
            let lb = SVGAxis.log(base)
            var e0 = (SVGAxis.log(lo) / lb + 1e-9).rounded(.down), e1 = (SVGAxis.log(hi) / lb - 1e-9).rounded(.up)
            if e1 <= e0 { e1 = e0 + 1 }
            if e1 - e0 > 12 { e0 = e1 - 12 }
            lo = SVGAxis.power(base, e0)
            hi = SVGAxis.power(base, e1)
            var t: [Double] = []
            var e = e0
            while e <= e1 {
                let p = SVGAxis.power(base, e)
                t.append(p)
                if base == 10, e1 - e0 <= 3, e < e1 { t += [2 * p, 5 * p] }
                e += 1
            }
            ticks = t.sorted()
        }
        self.lo = lo
        self.hi = hi
    }

    public func accepts(_ v: Double) -> Bool {
        guard v.isFinite else { return false }
        if case .log = scale { return v > 0 }
        return true
    }

    /// Where `v` falls between the ends of the axis, 0 … 1.
    public func fraction(_ v: Double) -> Double {
        switch scale {
        case .linear: return (v - lo) / (hi - lo)
        case .log: return (SVGAxis.log(v) - SVGAxis.log(lo)) / (SVGAxis.log(hi) - SVGAxis.log(lo))
        }
    }

    /// 1, 2 or 5 times a power of ten, at least `raw`.
    static func niceStep(_ raw: Double) -> Double {
        let p = power(10, (log(raw) / log(10)).rounded(.down))
        for m in [1.0, 2, 5, 10] where m * p >= raw * (1 - 1e-12) { return m * p }
        return 10 * p
    }

    static func log(_ x: Double) -> Double { Foundation.log(x) }

    /// base^e for an integer e (exact for powers of two and small powers of ten).
    static func power(_ base: Double, _ e: Double) -> Double {
        var r = 1.0
        let n = Int(abs(e))
        for _ in 0..<n { r *= base }
        return e < 0 ? 1 / r : r
    }
}

/// A coordinate with two decimals ("12.5", "-3", "0.07").
public func svgNumber(_ v: Double) -> String {
    let r = Int64((v * 100).rounded())
    let sign = r < 0 ? "-" : ""
    let a = abs(r)
    let whole = a / 100, frac = a % 100
    if frac == 0 { return sign + String(whole) }
    let fracText = frac % 10 == 0 ? String(frac / 10) : (frac < 10 ? "0" + String(frac) : String(frac))
    return sign + String(whole) + "." + fracText
}

/// Text with the five XML special characters escaped.
func xmlEscaped(_ s: String) -> String { TextEscaping.xml(s) }
