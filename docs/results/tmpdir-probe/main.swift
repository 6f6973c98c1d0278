import Foundation
// Which Foundation writes leave an item-replacement folder (TemporaryDirectory.*) in $TMPDIR?
let tmp = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
let dir = URL(fileURLWithPath: CommandLine.arguments[1])
func listing() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: tmp)) ?? []).sorted() }
func probe(_ what: String, _ body: () throws -> Void) {
    let before = listing()
    do { try body() } catch { print("\(what): threw \(error)") }
    let new = listing().filter { !before.contains($0) }
    let inside = new.map { n in "\(n)[\(((try? FileManager.default.contentsOfDirectory(atPath: tmp + "/" + n)) ?? []).joined(separator: ","))]" }
    print("\(what): \(new.isEmpty ? "nothing left in TMPDIR" : "left " + inside.joined(separator: " "))")
}
let dest = dir.appendingPathComponent("dest.txt")
try "old".write(to: dest, atomically: false, encoding: .utf8)
probe("String.write(atomically: true), new file") { try "a".write(to: dir.appendingPathComponent("new1.txt"), atomically: true, encoding: .utf8) }
probe("String.write(atomically: true), existing file") { try "b".write(to: dest, atomically: true, encoding: .utf8) }
probe("Data.write(options: .atomic), existing file") { try Data("c".utf8).write(to: dest, options: .atomic) }
probe("Data.write(), existing file") { try Data("d".utf8).write(to: dest) }
probe("FileManager.createFile(contents: nil)") { _ = FileManager.default.createFile(atPath: dir.appendingPathComponent("new2.txt").path, contents: nil) }
probe("FileManager.createFile(contents: data)") { _ = FileManager.default.createFile(atPath: dir.appendingPathComponent("new3.txt").path, contents: Data("e".utf8)) }
probe("FileManager.url(for: .itemReplacementDirectory)") { _ = try FileManager.default.url(for: .itemReplacementDirectory, in: .userDomainMask, appropriateFor: dest, create: true) }
