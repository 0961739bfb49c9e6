// Package replicas holds the tests of several processes on one shared
// MongoDB-compatible store: FerretDB v1 on PostgreSQL, started here as a
// server of its own, since no MongoDB server can be installed on these
// machines. It has no code of its own.
package replicas
