# The survey benchmark of issue 17 with data.table: fread on one thread,
# then the statistics per task over the columns of the wide table.
#
#   Rscript --vanilla tests/bench/survey/survey_fread.R FILE.csv
#
# Prints what survey.kader prints: per task n, mean, the 95% interval of the
# mean (Student's t, clamped to the scale 1 to 10 as Kader's mean_interval
# does), the share of "ja" in % and the modal bin (the first of equals).
suppressPackageStartupMessages(library(data.table))
setDTthreads(1)
args <- commandArgs(trailingOnly = TRUE)
tasks <- c("intake", "overleg", "toetsing", "advies", "registratie")
bins <- c("<5", "5-10", ">10")

d <- fread(args[1], sep = ";", dec = ",", na.strings = "", nThread = 1)

for (t in tasks) {
  x <- d[[paste0(t, ".cijfer")]]
  x <- x[!is.na(x)]
  n <- length(x)
  m <- mean(x)
  half <- qt(0.975, n - 1) * sd(x) / sqrt(n)
  yes <- d[[paste0(t, ".past")]]
  yes <- yes[!is.na(yes)]
  hours <- d[!is.na(get(paste0(t, ".uren"))), .N, keyby = c(paste0(t, ".uren"))]
  counts <- hours$N[match(bins, hours[[1]])]
  counts[is.na(counts)] <- 0L
  cat(sprintf("%s\t%d\t%.6f\t%.6f\t%.6f\t%.6f\t%s\n", t, n, m, max(1, m - half),
              min(10, m + half), 100 * mean(yes == "ja"), bins[which.max(counts)]))
}
