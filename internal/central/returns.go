package central

// ReturnsStore is the part of Store for returns, their tasks and the write-off ledger.
type ReturnsStore interface {
}
