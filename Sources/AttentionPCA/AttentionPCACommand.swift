import ArgumentParser

/// The root command: a verification harness for the paper "Attention-based PCA".
struct AttentionPCACommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attention-pca",
        abstract: "Checks the claims of \"Attention-based PCA\" (arXiv 2605.18315) and reproduces its figures.",
        discussion: """
        Start here:
          attention-pca report              quick check of every claim plus the
                                            figures -> reports/<date>-quick-<seed>/
          attention-pca list                claims and experiments available
          attention-pca verify --claim ID   check one claim (repeat --claim)
          attention-pca reproduce fig3b     one figure at the published parameters
          attention-pca compare BASE NEW    exit 1 if NEW is statistically worse
          attention-pca verify --shard 2/8  one of 8 shards; then `merge shard-*.json`
          attention-pca study DATA.csv      the prediction on your own data

        Profiles: quick (fixed seed, minutes), nightly (fresh seed, larger
        budgets), paper (fixed seed, the paper's budgets). Every failure prints
        the one command that reproduces it. Run through scripts/with-blas:
          scripts/with-blas swift run -c release attention-pca report

        Exit status: 0 every claim holds (compare: no regression); 1 a claim
        fails or errs (compare: a regression); 2 bad input found while reading
        files (a malformed catalogue, results or shard file, an unwritable
        output); 3 no failure, but a verdict is inconclusive or a claim did not
        run; 64 a usage error (unknown option, bad option value); 130
        interrupted by Ctrl-C, 143 stopped by SIGTERM (completed trials are
        written either way). An --output that cannot be written or that
        another run is writing is refused (exit 2) before any work.
        """,
        subcommands: [ListCommand.self, VerifyCommand.self, ReproduceCommand.self, ReportCommand.self,
                      CompareCommand.self, MergeCommand.self, SelfCheckCommand.self, StudyCommand.self]
    )
}
