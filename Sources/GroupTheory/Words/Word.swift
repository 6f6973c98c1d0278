/// A word in the generators x_0 … x_{n-1} of a presentation and their inverses.
///
/// Letter encoding: generator `i` is the letter `i + 1`, its inverse is `-(i + 1)`;
/// zero never occurs. The empty word is the identity.
///
/// ```swift
/// let w = Word([1, 2, -1])      // x0 x1 x0⁻¹
/// w.inverse.letters             // [1, -2, -1]
/// ```
public struct Word: Hashable, Sendable, CustomStringConvertible {
    /// The letters, left to right: `i + 1` for generator i, `-(i + 1)` for its inverse.
    public var letters: [Int32]

    /// The word with these letters (not reduced); traps if a letter is 0.
    public init(_ letters: [Int32] = []) {
        precondition(!letters.contains(0), "0 is not a letter")
        self.letters = letters
    }

    /// The single-letter word of generator `index` (or its inverse).
    public static func generator(_ index: Int, inverse: Bool = false) -> Word {
        Word([inverse ? -Int32(index + 1) : Int32(index + 1)])
    }

    /// The empty word.
    public static let identity = Word()

    /// Whether the word has no letters (it need not be freely reduced to represent 1).
    public var isEmpty: Bool { letters.isEmpty }
    /// The number of letters (the length before any reduction).
    public var count: Int { letters.count }

    /// Generator index of a letter.
    @inlinable public static func generatorIndex(_ letter: Int32) -> Int { Int(abs(letter)) - 1 }

    /// The formal inverse: letters reversed and negated, `(x0 x1)⁻¹ = x1⁻¹ x0⁻¹`.
    /// - Complexity: O(length).
    public var inverse: Word { Word(letters.reversed().map { -$0 }) }

    /// Concatenation (no free reduction).
    /// - Complexity: O(m + n) letters.
    public static func * (lhs: Word, rhs: Word) -> Word { Word(lhs.letters + rhs.letters) }

    /// `self^k`; negative `k` uses the inverse (not reduced: `w.power(2)` is w w).
    /// - Complexity: O(|k| · length).
    public func power(_ k: Int) -> Word {
        let base = k < 0 ? inverse : self
        var result: [Int32] = []
        result.reserveCapacity(base.count * Int(k.magnitude))
        for _ in 0..<k.magnitude { result += base.letters }
        return Word(result)
    }

    /// Cancels adjacent `x x⁻¹` pairs.
    /// - Complexity: O(length), with a stack.
    public var freelyReduced: Word {
        var stack: [Int32] = []
        for letter in letters {
            if let last = stack.last, last == -letter { stack.removeLast() } else { stack.append(letter) }
        }
        return Word(stack)
    }

    /// Freely and cyclically reduced.
    public var cyclicallyReduced: Word {
        var w = freelyReduced.letters
        while w.count >= 2, w.first! == -w.last! { w.removeFirst(); w.removeLast() }
        return Word(w)
    }

    /// The word spelled with generator names, runs of one letter as powers, e.g.
    /// `r^2*s^-1`; `1` for the empty word. Traps if a letter has no name.
    /// - Complexity: O(length).
    public func formatted(names: [String]) -> String {
        if letters.isEmpty { return "1" }
        var parts: [String] = []
        var i = 0
        while i < letters.count {
            var j = i
            while j < letters.count, letters[j] == letters[i] { j += 1 }
            let name = names[Word.generatorIndex(letters[i])]
            let exponent = (j - i) * (letters[i] > 0 ? 1 : -1)
            parts.append(exponent == 1 ? name : "\(name)^\(exponent)")
            i = j
        }
        return parts.joined(separator: "*")
    }

    /// The word in the names `x0`, `x1`, … (see `formatted(names:)`); `1` for the empty word.
    public var description: String {
        formatted(names: (0..<(letters.map { Int(abs($0)) }.max() ?? 0)).map { "x\($0)" })
    }
}
