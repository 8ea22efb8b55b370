import ArgumentParser
import DataFiles
import DataStudy
import Foundation

/// `attention-pca study DATA`: does the paper's prediction (the attention layer learns u_1)
/// hold on the user's own data, and if not, why (docs/STUDY.md).
struct StudyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "study",
        abstract: "Run the paper's prediction on your own data: does attention learn its top principal direction?",
        discussion: """
        DATA is a CSV data matrix (rows = samples, numeric columns, optional
        header line; separated by ',' ';' tabs or spaces) or a NumPy .npy file
        (2-D, float or integer). Or give --covariance FILE (a CSV square matrix)
        instead.

        Reports the spectrum (gap, rank, zero-variance coordinates, condition
        number), gradient descent on the closed forms R_inf and R_lin,L with S
        the data's covariance, and independent SGD runs of the softmax layer on
        prompts of N(0, S) tokens, of your rows resampled with replacement, and
        of a Gaussian sample with the same n and covariance (the control that
        separates non-Gaussianity from finite-sample effects). Writes REPORT.md,
        results.json and figures/alignment.svg (default
        reports/studies/<date>-<name>-<seed>/). Every default is derived from the
        spectrum and stated in the report with its reason.

        Example: attention-pca study data/wine.csv --standardise

        Exit status: 0 the prediction holds (covariance only: on Gaussian
        tokens); 1 it does not hold; 2 a malformed input file (the error names
        the file, line and problem) or an unwritable output; 64 a usage error.
        """)

    @Argument(help: "The data matrix, .csv or .npy (omit with --covariance).")
    var data: String?

    @Option(help: "A covariance matrix (CSV, square, symmetric, positive semi-definite) instead of data.")
    var covariance: String?

    @Option(help: "The attention scale lam (default 1 / s_1).")
    var lam: Double?

    @Option(name: .customLong("prompt-length"), help: "Tokens per prompt L.")
    var promptLength: Int = 100

    @Option(help: "Independent SGD runs per arm.")
    var runs: Int = 8

    @Option(help: "SGD steps per run (default: derived from the spectrum, 2000-8000).")
    var steps: Int?

    @Option(parsing: .unconditional, help: "Root seed, decimal or 0x-hex.", transform: parseSeed)
    var seed: UInt64 = 0x5EED_0001

    @Option(help: "Worker threads for the batch gradient.")
    var workers: Int = 1

    @Flag(name: [.customLong("standardise"), .customLong("standardize")], help: "Scale every column to unit variance first (columns in unrelated units).")
    var standardise = false

    @Option(help: "The report folder (default: reports/studies/<date>-<name>[-standardised]-<seed>).")
    var output: String?

    mutating func validate() throws {
        if (data == nil) == (covariance == nil) { throw ValidationError("give exactly one of DATA or --covariance FILE") }
        if promptLength < 1 { throw ValidationError("--prompt-length must be at least 1, got \(promptLength)") }
        if runs < 2 { throw ValidationError("--runs must be at least 2 (an interval needs two runs), got \(runs)") }
        if let steps, steps < 1 { throw ValidationError("--steps must be at least 1, got \(steps)") }
        if let lam, !(lam > 0 && lam.isFinite) { throw ValidationError("--lam must be a finite number > 0, got \(lam)") }
        workers = try cappedWorkers(workers)
    }

    func run() throws {
        var status = ExitCode.success
        try guarded {
            let input: StudyInput
            if let covariance {
                input = .covariance(try DataFile.readCovariance(path: covariance))
            } else {
                input = try .data(DataFile.readData(path: data!), standardise: standardise)
            }
            var config = StudyConfiguration()
            config.lam = lam
            config.promptLength = promptLength
            config.runs = runs
            config.steps = steps
            config.seed = seed
            config.workers = workers
            config.standardise = standardise
            let name = URL(fileURLWithPath: input.source).deletingPathExtension().lastPathComponent
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = "yyyy-MM-dd"
            let folder = output ?? "reports/studies/\(formatter.string(from: Date()))-\(name)\(standardise ? "-standardised" : "")-\(seed)"
            let result = try StudyRunner.run(input, configuration: config) { line in
                FileHandle.standardError.write(Data("\(line)\n".utf8))
            }
            try StudyReport.write(result, to: URL(fileURLWithPath: folder), command: typedCommand)
            print(result.verdict.headline)
            print("report: \(folder)/REPORT.md")
            if !result.verdict.holds {
                status = Exit.failure
            }
        }
        if status != .success { throw status }
    }
}
