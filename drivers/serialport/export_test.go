package serialport

// Exported for tests only.
var (
	Merge    = merge
	ReadByID = readByID
)
