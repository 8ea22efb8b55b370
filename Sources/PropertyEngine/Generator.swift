/// A recipe that builds a value from recorded choices; composes with map, flatMap, zip and
/// filter, and shrinks through all of them because shrinking edits the choices, not the value.
public struct Generator<Value>: Sendable {
    let body: @Sendable (inout ChoiceSource) throws -> Value

    /// A generator from a function that draws from a `ChoiceSource`.
    public init(_ body: @escaping @Sendable (inout ChoiceSource) throws -> Value) {
        self.body = body
    }

    /// Builds one value, drawing (and recording) its choices from `source`.
    public func generate(from source: inout ChoiceSource) throws -> Value {
        try body(&source)
    }

    /// A generator of `transform` applied to this generator's values.
    public func map<T>(_ transform: @escaping @Sendable (Value) throws -> T) -> Generator<T> {
        Generator<T> { source in try transform(try body(&source)) }
    }

    /// A generator whose next stage depends on this one's value (e.g. a vector of dimension d).
    public func flatMap<T>(_ transform: @escaping @Sendable (Value) throws -> Generator<T>) -> Generator<T> {
        Generator<T> { source in try transform(try body(&source)).body(&source) }
    }

    /// Only values satisfying `predicate`; after `attempts` misses the trial is rejected (and
    /// counted by the health check) rather than looping forever.
    public func filter(
        attempts: Int = 8, _ reason: String = "filter", _ predicate: @escaping @Sendable (Value) -> Bool
    ) -> Generator<Value> {
        Generator { source in
            for _ in 0..<max(attempts, 1) {
                let value = try body(&source)
                if predicate(value) { return value }
            }
            throw TrialRejected(reason: "\(reason): \(attempts) attempts rejected")
        }
    }

    /// The same values, each also recorded as a labelled event produced by `label`.
    public func labelled(_ label: @escaping @Sendable (Value) -> String) -> Generator<Value> {
        Generator { source in
            let value = try body(&source)
            source.event(label(value))
            return value
        }
    }

    /// The same values, each also recorded as the numeric feature `name` (for coverage tables).
    public func observed(as name: String, _ number: @escaping @Sendable (Value) -> Double) -> Generator<Value> {
        Generator { source in
            let value = try body(&source)
            source.feature(name, number(value))
            return value
        }
    }
}

extension Generator where Value: BinaryInteger & Sendable {
    /// The same values, recorded as the numeric feature `name`.
    public func observed(as name: String) -> Generator<Value> { observed(as: name) { Double($0) } }
}

extension Generator where Value: BinaryFloatingPoint & Sendable {
    /// The same values, recorded as the numeric feature `name`.
    public func observed(as name: String) -> Generator<Value> { observed(as: name) { Double($0) } }
}
