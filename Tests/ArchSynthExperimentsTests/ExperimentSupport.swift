import Foundation
#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The elements of an XML document, parsed with Foundation's `XMLParser` (a parse error is
/// reported, not hidden): names with their attributes, in document order, and text.
final class XMLOutline: NSObject, XMLParserDelegate {
    struct Element {
        let name: String
        let attributes: [String: String]
    }

    private(set) var elements: [Element] = []
    private(set) var text: [String] = []
    private(set) var error: Error?
    private var pending = ""

    init(_ document: String) {
        super.init()
        let parser = XMLParser(data: Data(document.utf8))
        parser.delegate = self
        if !parser.parse() { error = parser.parserError ?? NSError(domain: "XMLOutline", code: 1) }
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        flush()
        elements.append(Element(name: name, attributes: attributes))
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) { flush() }

    /// Characters may arrive in pieces (around entities): joined per element.
    func parser(_ parser: XMLParser, foundCharacters string: String) { pending += string }

    private func flush() {
        let t = pending.trimmingCharacters(in: .whitespacesAndNewlines)
        if !t.isEmpty { text.append(t) }
        pending = ""
    }

    func count(_ name: String, class className: String? = nil) -> Int {
        elements.filter { $0.name == name && (className == nil || $0.attributes["class"] == className) }.count
    }
}

/// The first markdown table in `text` after the line "## Results": its header cells and rows.
func markdownTable(in text: String) -> (header: [String], rows: [[String]])? {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    guard let start = lines.firstIndex(of: "## Results") else { return nil }
    var tableLines: [String] = []
    for line in lines[(start + 1)...] {
        if line.hasPrefix("|") {
            tableLines.append(line)
        } else if !tableLines.isEmpty {
            break
        }
    }
    guard tableLines.count >= 2 else { return nil }
    func cells(_ line: String) -> [String] {
        line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast().map { $0.trimmingCharacters(in: .whitespaces) }
    }
    return (cells(tableLines[0]), tableLines.dropFirst(2).map(cells))
}
