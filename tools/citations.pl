#!/usr/bin/perl
# citations.pl: every citation of a section of docs/, such as
# "docs/certification_cycle.md §2.3" or "trend_statistics.md §10.1 and
# §10.6", names a section that exists (a heading "## 2." or "### 2.3" of
# that document).  Reads the files git tracks; prints each broken citation
# and exits 1 if there is one.  Run by make lint.
use strict;
use utf8;
use warnings;

my %sections;				# document => { "2.3" => 1, ... }
for my $doc (glob('docs/*.md'))
{
	open(my $fh, '<:encoding(UTF-8)', $doc) or die "$doc: $!\n";
	my ($name) = $doc =~ m{([^/]+\.md)$};
	while (<$fh>)
	{
		$sections{$name}{$1} = 1 if /^#{2,4}\s+([0-9]+(?:\.[0-9]+)*)\.?\s/;
	}
	close($fh);
}

my $broken = 0;
for my $file (split /\n/, `git ls-files`)
{
	next if $file =~ m{\.(csv|json|png|svg)$} || $file =~ m{^test/fuzz/corpus/} || !-f $file;
	open(my $fh, '<:encoding(UTF-8)', $file) or next;
	my ($self) = $file =~ m{^docs/([^/]+\.md)$};
	while (my $line = <$fh>)
	{
		next unless $line =~ /§/;
		# the document a run of § numbers refers to: the last one named
		# before it on the line, else the file itself (a doc citing itself)
		my $doc = $self;
		while ($line =~ /([a-z_]+\.md)|§\s*([0-9]+(?:\.[0-9]+)*)/g)
		{
			if (defined $1)
			{
				$doc = exists $sections{$1} ? $1 : undef;
				next;
			}
			next unless defined $doc;
			next if $sections{$doc}{$2};
			print "$file:$.: $doc has no section $2\n";
			$broken++;
		}
	}
	close($fh);
}
exit($broken ? 1 : 0);
