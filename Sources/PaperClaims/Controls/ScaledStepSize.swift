extension Sabotage {
    /// The factor on gradient descent's step: 4 under `step-size-scaled` (4 x the stable-step
    /// rule's value, twice the stable bound 2 / h_max), 1 otherwise.
    var stepSizeFactor: Double { self == .stepSizeScaled ? 4 : 1 }
}
