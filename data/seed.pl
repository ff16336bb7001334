#!/usr/bin/perl
# seed.pl: print the catalogue seed of the install script, made from the
# reference CSVs in data/ (see data/SOURCES.md).  The Makefile puts it
# right after sql/catalogue.sql when it builds the install script: an
# extension script cannot read files, so the CSVs travel as INSERTs.  The
# pgTAP test test/pgtap/catalogue_csv.sql compares the installed catalogue
# with the CSVs row by row.
#
#   perl data/seed.pl
use strict;
use warnings;
use File::Basename qw(dirname);

my $dir = dirname(__FILE__);

# Read an RFC 4180 CSV file with a header line; returns a list of hashes.
sub read_csv
{
	my ($file) = @_;
	open(my $fh, '<:encoding(UTF-8)', "$dir/$file") or die "$dir/$file: $!\n";
	local $/;
	my $text = <$fh>;
	close($fh);

	my (@rows, @fields, $field);
	my $pos = 0;
	my $len = length($text);
	$field = '';
	while ($pos < $len)
	{
		my $c = substr($text, $pos, 1);
		if ($c eq '"' && $field eq '')
		{
			# quoted field: "" is a quote, the closing quote ends it
			$pos++;
			while (1)
			{
				die "$file: unterminated quote\n" if $pos >= $len;
				$c = substr($text, $pos++, 1);
				if ($c eq '"')
				{
					last if substr($text, $pos, 1) ne '"';
					$pos++;
				}
				$field .= $c;
			}
			next;
		}
		$pos++;
		if ($c eq ',') { push @fields, $field; $field = ''; }
		elsif ($c eq "\n")
		{
			push @fields, $field;
			push @rows, [@fields];
			@fields = ();
			$field = '';
		}
		else { $field .= $c; }
	}
	push(@rows, [@fields, $field]) if @fields || $field ne '';

	my $header = shift @rows;
	return map {
		my $r = $_;
		die "$file: a row has " . scalar(@$r) . " fields\n"
		  if @$r != @$header;
		my %h;
		@h{@$header} = @$r;
		\%h
	} @rows;
}

# SQL literal of a string
sub lit
{
	my ($s) = @_;
	$s =~ s/'/''/g;
	return "'$s'";
}

# SQL array literal of a |-separated attribute cell
sub arr
{
	my ($s) = @_;
	return lit('{' . join(',', split(/\|/, $s)) . '}');
}

# One INSERT statement with a row per line
sub insert
{
	my ($table, $columns, @rows) = @_;
	return "INSERT INTO iso27001.$table ($columns) VALUES\n"
	  . join(",\n", map { "\t(" . join(', ', @$_) . ")" } @rows) . ";\n";
}

sub seed
{
	my @c2022 = read_csv('iso27001_2022_annex_a.csv');
	my @c2013 = read_csv('iso27001_2013_annex_a.csv');
	my @obj = read_csv('iso27001_2013_objectives.csv');
	my @map = read_csv('iso27001_2013_to_2022.csv');
	my @isms = read_csv('iso27001_2022_clauses.csv');

	my (%seen, @clauses);
	for my $r (@c2013)
	{
		push @clauses, [lit($r->{clause}), lit($r->{clause_title})]
		  unless $seen{$r->{clause}}++;
	}

	my $out = "--\n-- The catalogue seed, made by data/seed.pl from data/*.csv\n--\n\n";
	$out .= insert('ref_control_2022',
		'control, theme, title, control_type, security_properties, '
		  . 'cybersecurity_concepts, operational_capabilities, security_domains',
		map {
			[
				lit($_->{id}), lit($_->{theme}), lit($_->{title}),
				arr($_->{control_type}), arr($_->{security_properties}),
				arr($_->{cybersecurity_concepts}),
				arr($_->{operational_capabilities}),
				arr($_->{security_domains})
			]
		} @c2022);
	$out .= "\n" . insert('ref_clause_2013', 'clause, title', @clauses);
	$out .= "\n"
	  . insert('ref_objective_2013', 'objective, clause, title',
		map { [lit($_->{objective}), lit($_->{clause}), lit($_->{title})] }
		  @obj);
	$out .= "\n"
	  . insert('ref_control_2013', 'control, objective, title',
		map { [lit($_->{id}), lit($_->{objective}), lit($_->{title})] }
		  @c2013);
	$out .= "\n"
	  . insert('ref_correspondence', 'control_2013, control_2022',
		map { [lit($_->{id_2013}), lit($_->{id_2022})] } @map);
	$out .= "\n"
	  . insert('ref_isms_clause_2022', 'clause, title',
		map { [lit($_->{clause}), lit($_->{title})] } @isms);
	return $out;
}

binmode(STDOUT, ':encoding(UTF-8)');
die "usage: $0\n" if @ARGV;
print seed();
