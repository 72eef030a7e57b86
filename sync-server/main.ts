// Placeholder so the build has its relay entry; the relay itself is written in a later issue.
console.error('Groundwork relay: not implemented yet');
process.exit(1);
