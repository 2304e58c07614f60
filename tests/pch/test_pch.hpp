// Precompiled for every test executable: Catch2's single header and the standard headers most
// tests use are the bulk of each test file's parse. Only what is stable and public goes here;
// a test file still includes what it uses.

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>
