# Exports the R data objects HushCart uses to CSV (UTF-8), for scripts/build-data.mjs.
args <- commandArgs(trailingOnly = TRUE)
out <- args[1]
suppressMessages({ library(dslabs); library(modeldata) })
data(movielens, package = "dslabs")
ml <- movielens
ml$genres <- as.character(ml$genres)
write.csv(ml, file.path(out, "movielens.csv"), row.names = FALSE, fileEncoding = "UTF-8")
data(small_fine_foods, package = "modeldata")
tr <- as.data.frame(training_data); tr$score <- as.character(tr$score); tr$split <- "train"
te <- as.data.frame(testing_data); te$score <- as.character(te$score); te$split <- "test"
write.csv(rbind(tr, te), file.path(out, "fine_foods.csv"), row.names = FALSE, fileEncoding = "UTF-8")
cat(sprintf("dslabs %s, modeldata %s\n", packageVersion("dslabs"), packageVersion("modeldata")),
    file = file.path(out, "r-versions.txt"))
