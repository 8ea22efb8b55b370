import PropertyEngine

/// One claim of the catalogue, as written in its file under `Properties/`: what the paper says,
/// over which instances it is checked, how, with which statistic and tolerance, and how many
/// trials each profile spends. The Swift side (`PaperClaim`) reads its parameters from here:
/// the catalogue is the single source of them.
public struct ClaimEntry: Sendable, Equatable, Codable {
    /// Stable identifier, e.g. `softmax-infinite-gd`; also the file's base name.
    public let id: String
    /// A one-line title.
    public let title: String
    /// The paper's statement it encodes (theorem, proposition or figure).
    public let paper: String
    /// The statement as the harness checks it.
    public let statement: String
    /// Universal (every instance) or statistical (a rate or mean with stated alpha and beta).
    public let kind: PropertyKind
    /// The instance space: dimensions, spectrum families, gap floor, lam range, L range, ...
    public var instances: CatalogueSection
    /// The protocol: optimiser, step-size rule, convergence criterion, budget.
    public let method: CatalogueSection
    /// The measured statistic, in words.
    public let statistic: String
    /// The tolerance's value(s), in the section `tolerance`.
    public let tolerance: CatalogueSection
    /// Why the tolerance is what it is (one or two sentences).
    public let toleranceDerivation: String
    /// For statistical claims: the decision rule (threshold, indifference, false-fail and
    /// false-pass rates), in the section `decision`.
    public let decision: CatalogueSection?
    /// Trials per profile.
    public let budget: Budget
    /// Names of the deliberately wrong models this claim must reject (tested).
    public let negativeControls: [String]
    /// The file it was read from, relative to the catalogue folder.
    public let file: String

    /// An entry with every field given.
    public init(id: String, title: String, paper: String, statement: String, kind: PropertyKind,
                instances: CatalogueSection, method: CatalogueSection, statistic: String,
                tolerance: CatalogueSection, toleranceDerivation: String, decision: CatalogueSection?,
                budget: Budget, negativeControls: [String], file: String) {
        self.id = id
        self.title = title
        self.paper = paper
        self.statement = statement
        self.kind = kind
        self.instances = instances
        self.method = method
        self.statistic = statistic
        self.tolerance = tolerance
        self.toleranceDerivation = toleranceDerivation
        self.decision = decision
        self.budget = budget
        self.negativeControls = negativeControls
        self.file = file
    }
}
