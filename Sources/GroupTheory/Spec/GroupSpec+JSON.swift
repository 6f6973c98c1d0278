extension GroupSpec {
    /// The keys a spec file may have at top level, in documentation order.
    public static let topLevelKeys = [
        "name", "description", "source", "order", "generators", "relators", "relations", "defining",
        "representations",
    ]

    /// The keys of one representation object: exactly one of the three kinds,
    /// plus an optional `"degree"` (permutations given only as cycle strings) and
    /// `"labels"` (names of the points or coordinates).
    public static let representationKeys = ["permutation", "signedPermutation", "matrix", "degree", "labels"]

    /// Names no spec representation may take: built in to every group
    /// (`trivial`, `regular`) or functions of representation expressions.
    public static let reservedRepresentationNames = ["trivial", "regular", "dual", "sym2", "alt2", "field"]

    /// Largest permutation degree read from a spec (cycle strings name points
    /// directly, so a typo could otherwise ask for a huge allocation).
    public static let maximumDegree = 1 << 24

    /// Reads a group spec from JSON text (DESIGN.md, "Group specs") and checks its
    /// shape: required keys, known keys only (with a suggestion for typos),
    /// identifier names, one image per generator in every representation,
    /// permutations that are bijections, square matrices of one size, signs ±1.
    ///
    /// Mathematical consistency (relators, invertibility, homomorphisms) is
    /// checked later by `FiniteGroup(spec:)`.
    ///
    /// ```swift
    /// let spec = try GroupSpec(json: text, origin: "D4.json")
    /// spec.representations.map(\.name)   // ["vertices", "plane", "sign"]  (file order)
    /// ```
    /// - Parameters:
    ///   - text: the file's contents.
    ///   - origin: how errors name the file, e.g. `"catalogs/D4.json"`.
    /// - Throws: `SpecError`, naming file, line, key path and what to do.
    /// - Complexity: linear in the size of the text (plus the images' sizes).
    public init(json text: String, origin: String) throws(SpecError) {
        let root: JSONValue
        do {
            root = try JSONValue(parsing: text)
        } catch {
            throw .syntax(file: origin, line: error.line, column: error.column, message: error.message)
        }
        self = try SpecReader(origin: origin).readSpec(root)
    }
}

/// Walks the JSON tree of a spec, keeping key paths for error messages.
private struct SpecReader {
    let origin: String

    func at(_ line: Int, _ path: String) -> SpecLocation {
        SpecLocation(file: origin, line: line, keyPath: path)
    }

    func join(_ path: String, _ key: String) -> String {
        path.isEmpty ? key : path + "." + key
    }

    // MARK: Generic shape checks

    /// The members of an object, rejecting duplicate keys and keys not in `allowed` (when given).
    func members(_ value: JSONValue, _ path: String, expected: String, allowed: [String]? = nil)
        throws(SpecError) -> [JSONMember]
    {
        guard case let .object(members) = value.kind else {
            throw .wrongType(expected: expected, found: value.kindDescription, at: at(value.line, path))
        }
        var seen = Set<String>()
        for member in members {
            guard seen.insert(member.key).inserted else {
                throw .duplicateKey(member.key, at: at(member.line, path))
            }
            if let allowed, !allowed.contains(member.key) {
                throw .unknownKey(
                    member.key, at: at(member.line, path),
                    suggestion: Spelling.closestMatch(to: member.key, in: allowed), allowed: allowed)
            }
        }
        return members
    }

    func string(_ value: JSONValue, _ path: String, expected: String = "a string") throws(SpecError) -> String {
        guard let s = value.stringValue else {
            throw .wrongType(expected: expected, found: value.kindDescription, at: at(value.line, path))
        }
        return s
    }

    func array(_ value: JSONValue, _ path: String, expected: String) throws(SpecError) -> [JSONValue] {
        guard let a = value.arrayValue else {
            throw .wrongType(expected: expected, found: value.kindDescription, at: at(value.line, path))
        }
        return a
    }

    func integer(_ value: JSONValue, _ path: String, expected: String) throws(SpecError) -> Int {
        guard let n = value.intValue else {
            let found = value.numberText.map { "\($0)" } ?? value.kindDescription
            throw .wrongType(expected: expected, found: found, at: at(value.line, path))
        }
        return n
    }

    static func isIdentifier(_ s: String) -> Bool {
        guard !s.isEmpty else { return false }
        for (i, c) in s.unicodeScalars.enumerated() {
            let isLetter = ("a"..."z").contains(c) || ("A"..."Z").contains(c) || c == "_"
            let isDigit = ("0"..."9").contains(c)
            if !(isLetter || (i > 0 && isDigit)) { return false }
        }
        return true
    }

    // MARK: The spec

    func readSpec(_ root: JSONValue) throws(SpecError) -> GroupSpec {
        let top = try members(
            root, "", expected: "a JSON object (the group spec)", allowed: GroupSpec.topLevelKeys)
        func value(_ key: String) -> JSONMember? { top.first { $0.key == key } }

        guard let nameMember = value("name") else {
            throw .missingKey("name", at: at(root.line, ""), hint: "add \"name\": \"...\" with the group's name")
        }
        let name = try string(nameMember.value, "name")
        guard !name.isEmpty else {
            throw .invalidValue("\"name\" is empty; give the group a name", at: at(nameMember.value.line, "name"))
        }
        let description = try value("description").map { m throws(SpecError) in try string(m.value, "description") }
        let source = try value("source").map { m throws(SpecError) in try string(m.value, "source") }
        let order = try value("order").map { m throws(SpecError) in try readOrder(m.value) }

        guard let generatorsMember = value("generators") else {
            throw .missingKey(
                "generators", at: at(root.line, ""),
                hint: "add \"generators\": [\"a\", \"b\"] listing the generator names")
        }
        let generators = try readGenerators(generatorsMember.value)

        // Relators and relations, merged in file order.
        var relators: [Located<String>]?
        for member in top where member.key == "relators" || member.key == "relations" {
            let isRelation = member.key == "relations"
            let list = try array(
                member.value, member.key,
                expected: isRelation ? "an array of relation strings \"u = v\"" : "an array of relator strings")
            var texts = relators ?? []
            for (i, element) in list.enumerated() {
                let path = "\(member.key)[\(i)]"
                let text = try string(element, path, expected: isRelation ? "a relation string \"u = v\"" : "a relator string")
                if isRelation, text.filter({ $0 == "=" }).count != 1 {
                    throw .invalidValue(
                        "relation \"\(text)\" is not of the form \"u = v\"; write it as u = v, or list it under \"relators\"",
                        at: at(element.line, path))
                }
                texts.append(Located(text, at: at(element.line, path)))
            }
            relators = texts
        }

        guard let representationsMember = value("representations") else {
            throw .missingKey(
                "representations", at: at(root.line, ""),
                hint: "add \"representations\": { \"name\": { \"permutation\": {...} } } with at least one representation")
        }
        let representations = try readRepresentations(representationsMember.value, generators: generators)
        if representations.isEmpty && relators == nil {
            throw .invalidValue(
                "no representations and no relators; give \"relators\" or at least one representation to define the group",
                at: at(representationsMember.value.line, "representations"))
        }

        var defining: String?
        if let m = value("defining") {
            let d = try string(m.value, "defining", expected: "a representation name")
            let names = representations.map(\.name)
            guard names.contains(d) else {
                throw .unknownRepresentation(
                    d, at: at(m.value.line, "defining"), available: names,
                    suggestion: Spelling.closestMatch(to: d, in: names))
            }
            defining = d
        }

        return GroupSpec(
            name: name, description: description ?? "", source: source, documentedOrder: order,
            generators: generators, relators: relators, defining: defining,
            representations: representations, origin: origin)
    }

    /// `"order"`: a decimal string (any size) or a JSON integer; returned without leading zeros.
    func readOrder(_ value: JSONValue) throws(SpecError) -> String {
        let text: String
        if let s = value.stringValue {
            text = s
        } else if value.isIntegerLiteral, let t = value.numberText {
            text = t
        } else {
            throw .wrongType(
                expected: "the group's order as a decimal string such as \"168\"",
                found: value.numberText ?? value.kindDescription, at: at(value.line, "order"))
        }
        guard !text.isEmpty, text.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }) else {
            throw .invalidValue(
                "order \"\(text)\" is not a positive decimal integer; write e.g. \"order\": \"168\"",
                at: at(value.line, "order"))
        }
        let digits = String(text.drop(while: { $0 == "0" }))
        guard !digits.isEmpty else {
            throw .invalidValue("order 0 is impossible; a group has at least one element", at: at(value.line, "order"))
        }
        // Leading zeros are refused, as JSON refuses them in numbers: "008" is a typo.
        guard digits == text else {
            throw .invalidValue("order \"\(text)\" has leading zeros; write \"\(digits)\"", at: at(value.line, "order"))
        }
        return digits
    }

    func readGenerators(_ value: JSONValue) throws(SpecError) -> [String] {
        let list = try array(value, "generators", expected: "an array of generator names")
        guard !list.isEmpty else {
            throw .invalidValue("\"generators\" is empty; list at least one generator name", at: at(value.line, "generators"))
        }
        var names: [String] = []
        var seen = Set<String>()
        for (i, element) in list.enumerated() {
            let path = "generators[\(i)]"
            let name = try string(element, path, expected: "a generator name (a string)")
            guard SpecReader.isIdentifier(name) else {
                throw .invalidName(
                    name, kind: "generator",
                    reason: "is not an identifier; use letters, digits and _, not starting with a digit",
                    at: at(element.line, path))
            }
            guard seen.insert(name).inserted else { throw .duplicateGenerator(name, at: at(element.line, path)) }
            names.append(name)
        }
        return names
    }

    // MARK: Representations

    func readRepresentations(_ value: JSONValue, generators: [String]) throws(SpecError) -> [RepresentationSpec] {
        let reps = try members(value, "representations", expected: "an object of named representations")
        var result: [RepresentationSpec] = []
        for member in reps {
            let path = join("representations", member.key)
            guard SpecReader.isIdentifier(member.key) else {
                throw .invalidName(
                    member.key, kind: "representation",
                    reason: "is not an identifier; use letters, digits and _, not starting with a digit",
                    at: at(member.line, path))
            }
            guard !GroupSpec.reservedRepresentationNames.contains(member.key) else {
                throw .invalidName(
                    member.key, kind: "representation",
                    reason: "is reserved (built-in representations and expression functions: "
                        + GroupSpec.reservedRepresentationNames.joined(separator: ", ") + "); choose another name",
                    at: at(member.line, path))
            }
            result.append(try readRepresentation(member, path: path, generators: generators))
        }
        return result
    }

    func readRepresentation(_ member: JSONMember, path: String, generators: [String]) throws(SpecError)
        -> RepresentationSpec
    {
        let fields = try members(
            member.value, path, expected: "a representation object such as { \"matrix\": {...} }",
            allowed: GroupSpec.representationKeys)
        let kinds = fields.filter { ["permutation", "signedPermutation", "matrix"].contains($0.key) }
        guard kinds.count == 1, let kind = kinds.first else {
            throw .invalidValue(
                "representation \"\(member.key)\" "
                    + (kinds.isEmpty ? "has no images" : "has \(kinds.map { "\"\($0.key)\"" }.joined(separator: " and "))")
                    + "; give exactly one of \"permutation\", \"signedPermutation\", \"matrix\"",
                at: at(member.value.line, path))
        }
        let location = at(member.line, path)
        let kindPath = join(path, kind.key)
        let images = try imagesByGenerator(kind.value, kindPath, representation: member.key, generators: generators)
        let degreeField = fields.first { $0.key == "degree" }
        if let degreeField, kind.key != "permutation" {
            throw .invalidValue(
                "\"degree\" only applies to permutation representations; remove it",
                at: at(degreeField.line, join(path, "degree")))
        }

        let spec: RepresentationSpec
        switch kind.key {
        case "permutation":
            spec = RepresentationSpec(
                name: member.key,
                images: .permutation(try readPermutations(images, kindPath, degreeField: degreeField, path: path)),
                location: location)
        case "signedPermutation":
            spec = RepresentationSpec(
                name: member.key, images: .signedPermutation(try readSignedPermutations(images, kindPath)),
                location: location)
        default:
            spec = RepresentationSpec(
                name: member.key, images: .matrix(try readMatrices(images, kindPath)), location: location)
        }
        var result = spec
        if let labels = fields.first(where: { $0.key == "labels" }) {
            result.labels = try readLabels(labels.value, join(path, "labels"), dimension: spec.dimension)
        }
        return result
    }

    /// The images object `{gen: image}` reordered to generator order; every generator exactly once.
    func imagesByGenerator(_ value: JSONValue, _ path: String, representation: String, generators: [String])
        throws(SpecError) -> [(generator: String, value: JSONValue, path: String)]
    {
        let images = try members(value, path, expected: "an object mapping each generator to its image")
        let known = Set(generators)
        var imageOf: [String: JSONMember] = [:]
        for member in images { imageOf[member.key] = member }
        for member in images where !known.contains(member.key) {
            throw .unknownGenerator(
                member.key, at: at(member.line, join(path, member.key)), generators: generators,
                suggestion: Spelling.closestMatch(to: member.key, in: generators))
        }
        var result: [(generator: String, value: JSONValue, path: String)] = []
        for generator in generators {
            guard let member = imageOf[generator] else {
                throw .missingImage(
                    generator: generator, representation: representation, at: at(value.line, path),
                    generators: generators)
            }
            result.append((generator, member.value, join(path, generator)))
        }
        return result
    }

    func readPointList(_ value: JSONValue, _ path: String) throws(SpecError) -> [Int] {
        let list = try array(value, path, expected: "an image list such as [1, 2, 0] or cycle notation \"(0,1,2)\"")
        var points: [Int] = []
        points.reserveCapacity(list.count)
        for (i, element) in list.enumerated() {
            points.append(try integer(element, "\(path)[\(i)]", expected: "a 0-based point (an integer)"))
        }
        return points
    }

    func readPermutations(
        _ images: [(generator: String, value: JSONValue, path: String)], _ kindPath: String,
        degreeField: JSONMember?, path: String
    ) throws(SpecError) -> [Located<[Int]>] {
        // Image lists fix the degree; cycle strings only bound it from below.
        var lists: [String: [Int]] = [:]
        var degree: Int?
        var reference = ""
        if let degreeField {
            let d = try integer(degreeField.value, join(path, "degree"), expected: "the number of points (an integer)")
            guard d >= 1, d <= GroupSpec.maximumDegree else {
                throw .invalidValue(
                    "degree \(d) is out of range; a permutation representation acts on 1...\(GroupSpec.maximumDegree) points",
                    at: at(degreeField.value.line, join(path, "degree")))
            }
            degree = d
            reference = "degree"
        }
        var largestPoint = -1
        for image in images {
            if image.value.stringValue != nil {
                largestPoint = max(largestPoint, try largestCyclePoint(image.value, image.path))
                continue
            }
            let list = try readPointList(image.value, image.path)
            // An empty image would make a 0-dimensional representation, which "degree": 0
            // already refuses: refuse it here too.
            guard !list.isEmpty else {
                throw .invalidValue(
                    "the image of \"\(image.generator)\" is empty; a permutation acts on at least one point (e.g. [0])",
                    at: at(image.value.line, image.path))
            }
            lists[image.generator] = list
            if let d = degree, list.count != d {
                if reference == "degree" {
                    throw .invalidValue(
                        "the image of \"\(image.generator)\" has \(list.count) points but \"degree\" is \(d); "
                            + "make them agree", at: at(image.value.line, image.path))
                }
                throw .sizeMismatch(
                    generator: image.generator, size: list.count, expected: d, reference: reference,
                    at: at(image.value.line, image.path))
            }
            if degree == nil {
                degree = list.count
                reference = image.generator
            }
        }
        guard let degree = degree ?? (largestPoint >= 0 ? largestPoint + 1 : nil) else {
            throw .invalidValue(
                "every image is the identity \"()\", so the degree is unknown; add \"degree\": n to the representation",
                at: at(images.first.map { $0.value.line } ?? 0, kindPath))
        }
        var result: [Located<[Int]>] = []
        for image in images {
            let location = at(image.value.line, image.path)
            do {
                let permutation: Permutation
                if let text = image.value.stringValue {
                    permutation = try Permutation(cycles: text, degree: degree)
                } else {
                    permutation = try Permutation(validating: lists[image.generator]!)
                }
                result.append(Located(permutation.images.map { Int($0) }, at: location))
            } catch {
                throw .notAPermutation(error, at: location)
            }
        }
        return result
    }

    /// The largest point named in a cycle string (-1 for `"()"`), bounded by `maximumDegree`.
    func largestCyclePoint(_ value: JSONValue, _ path: String) throws(SpecError) -> Int {
        var largest = -1
        var current: Int?
        for c in (value.stringValue ?? "").unicodeScalars {
            if ("0"..."9").contains(c) {
                let next = (current ?? 0) * 10 + Int(c.value - 48)
                guard next < GroupSpec.maximumDegree else {
                    throw .invalidValue(
                        "a point in \"\(value.stringValue!)\" is \(GroupSpec.maximumDegree) or more; "
                            + "permutation representations act on at most \(GroupSpec.maximumDegree) points",
                        at: at(value.line, path))
                }
                current = next
            } else if let n = current {
                largest = max(largest, n)
                current = nil
            }
        }
        if let n = current { largest = max(largest, n) }
        return largest
    }

    func readSignedPermutations(_ images: [(generator: String, value: JSONValue, path: String)], _ kindPath: String)
        throws(SpecError) -> [Located<(images: [Int], signs: [Int])>]
    {
        var result: [Located<(images: [Int], signs: [Int])>] = []
        for image in images {
            let fields = try members(
                image.value, image.path, expected: "an object { \"images\": [...], \"signs\": [...] }",
                allowed: ["images", "signs"])
            guard let imagesField = fields.first(where: { $0.key == "images" }) else {
                throw .missingKey(
                    "images", at: at(image.value.line, image.path), hint: "add \"images\": [...], the 0-based image list")
            }
            guard let signsField = fields.first(where: { $0.key == "signs" }) else {
                throw .missingKey(
                    "signs", at: at(image.value.line, image.path), hint: "add \"signs\": [1, -1, ...], one per point")
            }
            let imagesPath = join(image.path, "images")
            let points = try readPointList(imagesField.value, imagesPath)
            do {
                _ = try Permutation(validating: points)
            } catch {
                throw .notAPermutation(error, at: at(imagesField.value.line, imagesPath))
            }
            let signsPath = join(image.path, "signs")
            let signValues = try array(signsField.value, signsPath, expected: "an array of signs 1 or -1")
            var signs: [Int] = []
            for (i, element) in signValues.enumerated() {
                let p = "\(signsPath)[\(i)]"
                let s = try integer(element, p, expected: "a sign 1 or -1")
                guard s == 1 || s == -1 else {
                    throw .invalidValue("sign \(s) is not 1 or -1; signs must be 1 or -1", at: at(element.line, p))
                }
                signs.append(s)
            }
            guard signs.count == points.count else {
                throw .invalidValue(
                    "\(signs.count) signs for \(points.count) images; give one sign per point",
                    at: at(signsField.value.line, signsPath))
            }
            if let first = result.first, first.value.images.count != points.count {
                throw .sizeMismatch(
                    generator: image.generator, size: points.count, expected: first.value.images.count,
                    reference: images[0].generator, at: at(image.value.line, image.path))
            }
            result.append(Located((points, signs), at: at(image.value.line, image.path)))
        }
        return result
    }

    func readMatrices(_ images: [(generator: String, value: JSONValue, path: String)], _ kindPath: String)
        throws(SpecError) -> [Located<[[ExactOrReal]]>]
    {
        var result: [Located<[[ExactOrReal]]>] = []
        for image in images {
            let rows = try array(image.value, image.path, expected: "a square matrix as an array of rows")
            guard !rows.isEmpty else {
                throw .badMatrixShape(
                    "the matrix of \"\(image.generator)\" has no rows; write it as [[...], ...]",
                    at: at(image.value.line, image.path))
            }
            var matrix: [[ExactOrReal]] = []
            for (i, rowValue) in rows.enumerated() {
                let rowPath = "\(image.path)[\(i)]"
                let row = try array(rowValue, rowPath, expected: "a matrix row (an array of entries)")
                if let first = matrix.first, row.count != first.count {
                    throw .badMatrixShape(
                        "row \(i) has \(row.count) \(row.count == 1 ? "entry" : "entries") but row 0 has \(first.count); "
                            + "every row needs the same length",
                        at: at(rowValue.line, rowPath))
                }
                var entries: [ExactOrReal] = []
                for (j, element) in row.enumerated() {
                    entries.append(try readEntry(element, "\(rowPath)[\(j)]"))
                }
                matrix.append(entries)
            }
            guard matrix.count == matrix[0].count else {
                throw .badMatrixShape(
                    "the matrix of \"\(image.generator)\" is \(matrix.count)×\(matrix[0].count), not square; "
                        + "representation matrices are square", at: at(image.value.line, image.path))
            }
            if let first = result.first, first.value.count != matrix.count {
                throw .sizeMismatch(
                    generator: image.generator, size: matrix.count, expected: first.value.count,
                    reference: images[0].generator, at: at(image.value.line, image.path))
            }
            result.append(Located(matrix, at: at(image.value.line, image.path)))
        }
        return result
    }

    func readEntry(_ value: JSONValue, _ path: String) throws(SpecError) -> ExactOrReal {
        switch value.kind {
        case let .number(text):
            if value.isIntegerLiteral {
                guard let n = Int64(text), n != .min else {
                    throw .badEntry(
                        text, reason: "the integer is too large for exact arithmetic", at: at(value.line, path))
                }
                return .exact(Rational(n))
            }
            guard let x = Double(text), x.isFinite else {
                throw .badEntry(text, reason: "the number is not finite in Float64", at: at(value.line, path))
            }
            return .real(x)
        case let .string(text):
            do {
                return try ExactOrReal(parsing: text)
            } catch {
                throw .badEntry("\"\(text)\"", reason: error.description, at: at(value.line, path))
            }
        default:
            throw .wrongType(
                expected: "a matrix entry (a number or a string such as \"1/2\" or \"sqrt(3)/2\")",
                found: value.kindDescription, at: at(value.line, path))
        }
    }

    func readLabels(_ value: JSONValue, _ path: String, dimension: Int) throws(SpecError) -> [String] {
        let list = try array(value, path, expected: "an array of label strings, one per point or coordinate")
        var labels: [String] = []
        var seen = Set<String>()
        for (i, element) in list.enumerated() {
            let label = try string(element, "\(path)[\(i)]", expected: "a label (a string)")
            guard seen.insert(label).inserted else {
                throw .invalidValue("label \"\(label)\" is used twice; labels must be distinct", at: at(element.line, "\(path)[\(i)]"))
            }
            labels.append(label)
        }
        guard labels.count == dimension else {
            throw .invalidValue(
                "\(labels.count) labels for dimension \(dimension); give one label per point or coordinate",
                at: at(value.line, path))
        }
        return labels
    }
}
