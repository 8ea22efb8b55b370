import Testing
import AttentionModels
