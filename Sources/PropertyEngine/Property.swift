/// Anything the engine can run: a universal or statistical property, type-erased for suites.
public protocol Property: Sendable {
    /// The property's name; it also labels its random stream, so keep it stable.
    var name: String { get }
    /// Universal or statistical.
    var kind: PropertyKind { get }
    /// Runs the property; a statistical one is held to `falseFailRate` if given (run-level
    /// error control), otherwise to its own α.
    func run(_ settings: Settings, falseFailRate: Double?) -> PropertyResult
}

extension Property {
    /// Runs the property at its own error rates.
    public func run(_ settings: Settings) -> PropertyResult { run(settings, falseFailRate: nil) }
}

func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}
