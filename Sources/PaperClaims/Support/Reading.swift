import PropertyEngine

extension ClaimEntry {
    /// The decision rule of a statistical claim, read from its `decision:` section:
    /// `statistic-bounds: [lo, hi]`, `threshold`, `indifference`, `direction: at-most | at-least`,
    /// `false-fail`, `false-pass`.
    func statisticalDecision() throws -> (claim: Claim, errors: ErrorRates) {
        guard let section = decision else {
            throw CatalogueError(file: file, field: "decision", problem: "is missing (statistical claims need one)")
        }
        let threshold = try section.number("threshold")
        let indifference = try section.positive("indifference")
        let direction = try section.text("direction")
        let errors = ErrorRates(falseFail: try section.number("false-fail"), falsePass: try section.number("false-pass"))
        let claim: Claim
        switch (direction, section.has("statistic-bounds")) {
        case ("at-most", true): claim = .mean(atMost: threshold, indifference: indifference, bounds: try section.range("statistic-bounds"))
        case ("at-least", true): claim = .mean(atLeast: threshold, indifference: indifference, bounds: try section.range("statistic-bounds"))
        case ("at-most", false): claim = .rate(atMost: threshold, indifference: indifference)
        case ("at-least", false): claim = .rate(atLeast: threshold, indifference: indifference)
        default:
            throw CatalogueError(file: file, field: "decision.direction", problem: "must be 'at-most' or 'at-least', got '\(direction)'")
        }
        do { try claim.validate() } catch {
            throw CatalogueError(file: file, field: "decision", problem: "\(error)")
        }
        return (claim, errors)
    }
}
