package central

// ConsoleStore is the part of Store for the console's users and sessions.
type ConsoleStore interface {
}
