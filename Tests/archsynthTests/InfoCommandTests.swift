import Foundation
import XCTest

/// End-to-end: the built binary's `catalog` and `info`, output and exit codes.
final class InfoCommandTests: XCTestCase {
    func json(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8))
    }

    func testInfoJSONForAFamily() throws {
        let result = try CommandRunner.run(["info", "symmetric:5", "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let info = try XCTUnwrap(try json(result.stdout) as? [String: Any])
        XCTAssertEqual(info["order"] as? String, "120")
        let classes = try XCTUnwrap(info["conjugacyClasses"] as? [[String: Any]])
        XCTAssertEqual(classes.count, 7)  // partitions of 5
        XCTAssertEqual(classes.map { $0["size"] as? Int ?? 0 }.reduce(0, +), 120)
        let reps = try XCTUnwrap(info["representations"] as? [[String: Any]])
        XCTAssertEqual(reps.map { $0["name"] as? String }, ["natural", "sign"])
        XCTAssertEqual(reps.map { $0["dimension"] as? Int }, [5, 1])
    }

    func testOrderIsExactForLargeGroups() throws {
        let result = try CommandRunner.run(["info", "symmetric:30", "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let info = try XCTUnwrap(try json(result.stdout) as? [String: Any])
        XCTAssertEqual(info["order"] as? String, "265252859812191058636308480000000")  // 30!
        XCTAssertNil(info["conjugacyClasses"])
    }

    func testEveryCatalogEntryValidates() throws {
        let result = try CommandRunner.run(["catalog", "--json"])
        XCTAssertEqual(result.status, 0, result.stderr + result.stdout)
        let entries = try XCTUnwrap(try json(result.stdout) as? [[String: Any]])
        let orders = Dictionary(uniqueKeysWithValues: entries.map { ($0["file"] as? String ?? "", $0["order"] as? String ?? "error") })
        // Orders from the literature (each file also documents its own, checked on load).
        let expected = [
            "D4.json": "8", "klein4.json": "4", "Q8.json": "8", "dicyclic12.json": "12", "A4.json": "12", "S4.json": "24",
            "A5.json": "60", "Oh.json": "48", "PSL27.json": "168", "rubik2.json": "3674160",
            "rubik3.json": "43252003274489856000", "M11.json": "7920", "M12.json": "95040", "M24.json": "244823040",
            "Ih.json": "120", "SL23.json": "24", "WF4.json": "1152", "PSL211.json": "660", "Heis3.json": "27", "F21.json": "21",
        ]
        for (file, order) in expected { XCTAssertEqual(orders[file], order, file) }
        XCTAssertNotNil(orders["names.json"])
    }

    func testBadInputExitCodes() throws {
        let usage = try CommandRunner.run(["info"])
        XCTAssertEqual(usage.status, 64)
        XCTAssertTrue(usage.stderr.contains("missing SPEC"), usage.stderr)
        let unknownOption = try CommandRunner.run(["info", "D4", "--jsn"])
        XCTAssertEqual(unknownOption.status, 64)
        XCTAssertTrue(unknownOption.stderr.contains("unknown option --jsn"), unknownOption.stderr)
        let unknownGroup = try CommandRunner.run(["info", "D44"])
        XCTAssertEqual(unknownGroup.status, 1)
        XCTAssertTrue(unknownGroup.stderr.contains("unknown group \"D44\""), unknownGroup.stderr)
        XCTAssertTrue(unknownGroup.stdout.isEmpty)
        let infinite = try CommandRunner.run(["info", "/dev/null/x.json"])
        XCTAssertEqual(infinite.status, 1)
    }

    func testInfiniteGroupHitsTheCosetLimit() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("archsynth-info-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let spec = dir.appendingPathComponent("modular.json")
        // ⟨a, b | a², b³⟩ is PSL(2, Z), infinite.
        try #"{"name": "PSL2Z", "generators": ["a", "b"], "relators": ["a^2", "b^3"], "representations": {}}"#
            .write(to: spec, atomically: true, encoding: .utf8)
        let before = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        let result = try CommandRunner.run(["info", spec.path, "--max-cosets", "50000"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("50000"), result.stderr)
        XCTAssertTrue(result.stderr.lowercased().contains("infinite"), result.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), before)
    }

    /// A presentation whose order is above the element limit is enumerated once; later runs take
    /// its order from the cache (outside the checkout, keyed by generators and relators) and
    /// `info` says so. --max-elements 50 puts I_h (order 120) above the limit to keep this fast.
    func testLargePresentationOrderIsCachedAndInfoSaysSo() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("archsynth-cache-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let env = ["ARCHSYNTH_CACHE": dir.appendingPathComponent("cache").path]
        let args = ["info", "Ih", "--max-elements", "50"]
        let first = try CommandRunner.run(args, environment: env)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.contains("order: 120  (coset enumeration)\n"), first.stdout)
        XCTAssertEqual(first.stderr, "", "no progress notes when stderr is not a terminal")
        let second = try CommandRunner.run(args, environment: env)
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertTrue(second.stdout.contains("order: 120  (coset enumeration (cached from an earlier run))"), second.stdout)
        // The basis does not depend on where the order came from: I_h on R^3 is irreducible.
        let basis = try CommandRunner.run(["basis", "Ih", "--in", "rotoreflection", "--out", "rotoreflection", "--max-elements", "50", "--json"], environment: env)
        XCTAssertEqual(basis.status, 0, basis.stderr)
        XCTAssertTrue(basis.stdout.contains("\"dimension\": 1"), basis.stdout)
        // Another presentation (one more, redundant relator) is not served from that entry.
        let spec = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("catalogs/Ih.json"), encoding: .utf8)
        let changed = dir.appendingPathComponent("Ih.json")
        try spec.replacingOccurrences(of: "\"c^2\",", with: "\"c^2\", \"c^4\",").write(to: changed, atomically: true, encoding: .utf8)
        let other = try CommandRunner.run(["info", changed.path, "--max-elements", "50"], environment: env)
        XCTAssertEqual(other.status, 0, other.stderr)
        XCTAssertTrue(other.stdout.contains("order: 120  (coset enumeration)\n"), other.stdout)
        // Below the element limit nothing is cached (the coset table also lists the elements).
        let small = try CommandRunner.run(["info", "Q8"], environment: env)
        XCTAssertTrue(small.stdout.contains("(coset enumeration)\n"), small.stdout)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("cache/presentations").path).count, 2)
    }

    /// A cached order never answers above the run's --max-cosets: the same command gives the same
    /// exit whether or not an earlier run cached the order (before, `info` of a^250000 with
    /// --max-cosets 1000 exited 0 from the cache and 1 without it).
    func testCachedOrderDoesNotOverrideAnExplicitCosetLimit() throws {
        let dir = try temporaryDirectory(prefix: "cache-limit")
        let spec = dir.appendingPathComponent("c.json")
        try #"{"name": "C", "generators": ["a"], "relators": ["a^250000"], "representations": {"t": {"matrix": {"a": [[1]]}}}}"#
            .write(to: spec, atomically: true, encoding: .utf8)
        let env = ["ARCHSYNTH_CACHE": dir.appendingPathComponent("cache").path]
        let fill = try CommandRunner.run(["info", spec.path], environment: env)
        XCTAssertEqual(fill.status, 0, fill.stderr)
        XCTAssertTrue(fill.stdout.contains("order: 250000  (coset enumeration)\n"), fill.stdout)
        let cached = try CommandRunner.run(["info", spec.path], environment: env)
        XCTAssertTrue(cached.stdout.contains("order: 250000  (coset enumeration (cached from an earlier run))"), cached.stdout)
        for environment in [env, ["ARCHSYNTH_CACHE": "off"]] {
            let limited = try CommandRunner.run(["info", spec.path, "--max-cosets", "1000"], environment: environment)
            XCTAssertEqual(limited.status, 1, "\(environment): \(limited.stdout)")
            XCTAssertTrue(limited.stderr.contains("1000"), limited.stderr)
        }
    }
}
