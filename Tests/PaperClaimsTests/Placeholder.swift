import Testing
import PaperClaims
