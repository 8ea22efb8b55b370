// The attention-pca command line: list, verify, reproduce, report, compare, merge.
// See docs/REPORTS.md and `attention-pca --help`.
AttentionPCACommand.main()
