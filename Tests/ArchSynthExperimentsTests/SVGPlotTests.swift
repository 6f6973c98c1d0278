import ArchSynthExperiments
import ArchSynth
import Foundation
import XCTest

/// The SVG plot writer: well-formed XML with the expected elements, log-scale ticks at powers
/// of the base, error bars, escaping, points a log axis cannot show left out, determinism.
final class SVGPlotTests: XCTestCase {
    func example() -> SVGPlot {
        var plot = SVGPlot(title: "error <vs> size & \"more\"", xLabel: "examples", yLabel: "error", xScale: .log(base: 2), yScale: .log(base: 10))
        plot.series = [
            .init(name: "equivariant", points: [
                .init(x: 16, y: 0.5, low: 0.4, high: 0.6), .init(x: 64, y: 0.1, low: 0.08, high: 0.12), .init(x: 256, y: 0.02, low: 0.01, high: 0.03),
            ]),
            .init(name: "dense <baseline>", points: [.init(x: 16, y: 0.9), .init(x: 64, y: 0.6), .init(x: 256, y: 0)], dashed: true),
        ]
        return plot
    }

    func testStructure() throws {
        let svg = example().render()
        let xml = XMLOutline(svg)
        XCTAssertNil(xml.error, "\(String(describing: xml.error))")
        XCTAssertEqual(xml.elements.first?.name, "svg")
        XCTAssertEqual(xml.elements.first?.attributes["xmlns"], "http://www.w3.org/2000/svg")
        XCTAssertEqual(xml.count("g", class: "series"), 2)
        XCTAssertEqual(xml.count("polyline"), 2)
        // The y = 0 point of the dashed series cannot be drawn on a log axis: 3 + 2 markers.
        XCTAssertEqual(xml.count("circle"), 5)
        XCTAssertEqual(xml.count("line", class: "error-bar"), 3)
        XCTAssertEqual(xml.count("line", class: "error-cap"), 6)
        XCTAssertEqual(xml.count("line", class: "axis x-axis"), 1)
        XCTAssertEqual(xml.count("line", class: "axis y-axis"), 1)
        XCTAssertEqual(xml.count("text", class: "legend-label"), 2)
        XCTAssertEqual(xml.count("text", class: "title"), 1)
        XCTAssertTrue(xml.text.contains("error <vs> size & \"more\""), "title unescaped by the parser")
        XCTAssertTrue(xml.text.contains("dense <baseline>"))
        XCTAssertEqual(xml.elements.filter { $0.name == "polyline" }.compactMap { $0.attributes["stroke-dasharray"] }.count, 1)
    }

    func testLogTicksArePowersOfTheBase() throws {
        let xml = XMLOutline(example().render())
        XCTAssertNil(xml.error)
        // x: 16 … 256 in base 2 → 16, 32, 64, 128, 256; y: 0.01 … 0.9 → 0.01, 0.1, 1 plus 2× and 5×.
        for label in ["16", "32", "64", "128", "256", "0.01", "0.1", "1", "0.02", "0.05", "0.5"] {
            XCTAssertTrue(xml.text.contains(label), "missing tick label \(label)")
        }
        XCTAssertFalse(xml.text.contains("8"), "no tick below the data's power of two")
        XCTAssertTrue(xml.text.contains("examples (log base 2 scale)"))
        XCTAssertTrue(xml.text.contains("error (log scale)"))
    }

    func testLinearTicksAreRoundNumbers() throws {
        let axis = SVGAxis(scale: .linear, values: [0.03, 0.97])
        XCTAssertEqual(axis.ticks.first, 0)
        XCTAssertEqual(axis.ticks.last, 1)
        XCTAssertEqual(axis.ticks.count, 6)
        XCTAssertEqual(axis.fraction(0.5), 0.5, accuracy: 1e-12)
        XCTAssertEqual(SVGPlot.label(0.6000000000000001), "0.6")
        let flat = SVGAxis(scale: .linear, values: [2, 2])
        XCTAssertLessThan(flat.lo, 2)
        XCTAssertGreaterThan(flat.hi, 2)
    }

    func testDeterministicAndEmptyPlotsAreValid() throws {
        XCTAssertEqual(example().render(), example().render())
        let empty = SVGPlot(title: "nothing", xLabel: "x", yLabel: "y")
        let xml = XMLOutline(empty.render())
        XCTAssertNil(xml.error)
        XCTAssertEqual(xml.count("polyline"), 0)
        XCTAssertEqual(svgNumber(12.346), "12.35")
        XCTAssertEqual(svgNumber(-3), "-3")
        XCTAssertEqual(svgNumber(0.07), "0.07")
        XCTAssertEqual(svgNumber(2.5), "2.5")
    }
}
